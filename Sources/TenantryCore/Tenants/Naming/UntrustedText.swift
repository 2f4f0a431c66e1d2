/// Shows text a user typed (a slug, a naming pattern) inside an error message without letting it
/// hide, fake or flood the message.
enum UntrustedText {
    /// The longest echo kept in a message; the rest becomes `...`.
    static let maxShown = 60

    /// `'text'` with invisible characters written as `\u{hex}`, backslashes doubled (so a typed
    /// `\u{0}` and a real NUL look different), and long text shortened.
    static func quoted(_ text: String) -> String {
        var shown = ""
        for scalar in text.unicodeScalars {
            let piece = escaped(scalar)
            guard shown.count + piece.count <= maxShown else {
                shown += "..."
                break
            }
            shown += piece
        }
        return "'" + shown + "'"
    }

    /// Names one character for a message: `'"' (U+0022)`, `a space`, `a NUL byte (U+0000)`,
    /// `the non-ASCII character 'а' (U+0430)` — code points make look-alikes visible.
    static func describe(_ character: Character) -> String {
        let codes = character.unicodeScalars.map(codePoint).joined(separator: " ")
        switch character {
        case " ": return "a space"
        case "_": return "an underscore '_'"
        case "\t": return "a tab (\(codes))"
        default: break
        }
        if character.unicodeScalars.contains(where: { $0.value == 0 }) { return "a NUL byte (\(codes))" }
        if character.isNewline { return "a line break (\(codes))" }
        if character.unicodeScalars.contains(where: isInvisible) { return "the invisible character \(codes)" }
        if character.isASCII { return "'\(character)' (\(codes))" }
        return "the non-ASCII character '\(character)' (\(codes))"
    }

    static func codePoint(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    private static func escaped(_ scalar: Unicode.Scalar) -> String {
        if scalar == "\\" { return "\\\\" }
        if isInvisible(scalar) { return "\\u{\(String(scalar.value, radix: 16))}" }
        return String(scalar)
    }

    /// Control, format (zero-width, bidi overrides), separators other than the plain space, and
    /// unassigned or private-use code points: things a terminal would not show faithfully.
    private static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse, .unassigned:
            true
        case .spaceSeparator:
            scalar != " "
        default:
            false
        }
    }
}
