import Foundation

/// SASLprep (RFC 4013) the way PostgreSQL applies it to SCRAM passwords (`pg_saslprep`): ASCII passwords are
/// used as they are; others are mapped and NFKC-normalized, and a password SASLprep refuses (prohibited or
/// unassigned characters, bad bidirectional text) is used as its raw UTF-8 bytes, as PostgreSQL does.
enum SASLprep {
    static func normalize(_ password: String) -> [UInt8] {
        let raw = Array(password.utf8)
        guard raw.contains(where: { $0 >= 0x80 }) else { return raw }
        var mapped = String.UnicodeScalarView()
        for scalar in password.unicodeScalars {
            if inTable(scalar, nonASCIISpace) {
                mapped.append(" ")
            } else if !inTable(scalar, mappedToNothing) {
                mapped.append(scalar)
            }
        }
        let normalized = String(mapped).precomposedStringWithCompatibilityMapping
        let scalars = Array(normalized.unicodeScalars)
        guard !scalars.isEmpty, !scalars.contains(where: isProhibited), bidiAllowed(scalars) else { return raw }
        return Array(normalized.utf8)
    }

    typealias Table = [ClosedRange<UInt32>]

    static func inTable(_ scalar: Unicode.Scalar, _ table: Table) -> Bool {
        table.contains { $0.contains(scalar.value) }
    }

    /// C.1.2, mapped to U+0020.
    static let nonASCIISpace: Table = [0xA0...0xA0, 0x1680...0x1680, 0x2000...0x200B, 0x202F...0x202F, 0x205F...0x205F, 0x3000...0x3000]
    /// B.1, mapped to nothing.
    static let mappedToNothing: Table = [0xAD...0xAD, 0x34F...0x34F, 0x1806...0x1806, 0x180B...0x180D, 0x200B...0x200D, 0x2060...0x2060,
                                         0xFE00...0xFE0F, 0xFEFF...0xFEFF]
    /// C.1.2 and C.2 to C.9.
    static let prohibited: Table = nonASCIISpace + [
        0x0...0x1F, 0x7F...0x9F, 0x6DD...0x6DD, 0x70F...0x70F, 0x180E...0x180E, 0x200C...0x200F, 0x2028...0x202E, 0x2060...0x2063,
        0x206A...0x206F, 0xFEFF...0xFEFF, 0xFFF9...0xFFFD, 0x1D173...0x1D17A, 0xE000...0xF8FF, 0xF0000...0xFFFFD,
        0x100000...0x10FFFD, 0xFDD0...0xFDEF, 0x2FF0...0x2FFB, 0x340...0x341, 0xE0001...0xE0001, 0xE0020...0xE007F,
    ]
    /// D.1: characters of right-to-left scripts (bidirectional categories R and AL).
    static let randAL: Table = [
        0x5BE...0x5BE, 0x5C0...0x5C0, 0x5C3...0x5C3, 0x5D0...0x5EA, 0x5F0...0x5F4, 0x61B...0x61B, 0x61F...0x61F, 0x621...0x63A,
        0x640...0x64A, 0x66D...0x66F, 0x671...0x6D5, 0x6DD...0x6DD, 0x6E5...0x6E6, 0x6FA...0x6FE, 0x700...0x70D, 0x710...0x710,
        0x712...0x72C, 0x780...0x7A5, 0x7B1...0x7B1, 0x200F...0x200F, 0xFB1D...0xFB1D, 0xFB1F...0xFB28, 0xFB2A...0xFB36,
        0xFB38...0xFB3C, 0xFB3E...0xFB3E, 0xFB40...0xFB41, 0xFB43...0xFB44, 0xFB46...0xFBB1, 0xFBD3...0xFD3D, 0xFD50...0xFD8F,
        0xFD92...0xFDC7, 0xFDF0...0xFDFC, 0xFE70...0xFE74, 0xFE76...0xFEFC,
    ]

    static func isProhibited(_ scalar: Unicode.Scalar) -> Bool {
        if inTable(scalar, prohibited) || (scalar.value & 0xFFFE) == 0xFFFE { return true }
        // A.1: unassigned in Unicode 3.2, the version SASLprep is defined on.
        guard let age = scalar.properties.age else { return true }
        return age.major > 3 || (age.major == 3 && age.minor > 2)
    }

    /// RFC 3454 section 6: right-to-left text must not mix with left-to-right letters and must start and end with it.
    static func bidiAllowed(_ scalars: [Unicode.Scalar]) -> Bool {
        guard scalars.contains(where: { inTable($0, randAL) }) else { return true }
        let leftToRight = scalars.contains { scalar in
            !inTable(scalar, randAL) && [.uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                                          .spacingMark].contains(scalar.properties.generalCategory)
        }
        return !leftToRight && inTable(scalars[0], randAL) && inTable(scalars[scalars.count - 1], randAL)
    }
}
