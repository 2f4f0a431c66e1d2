/// `${VAR}`, `${VAR:-default}` and `${VAR:?message}` in config values, as in Docker Compose; `$$` is a literal `$`.
public struct Interpolation: Sendable {
    public var environment: [String: String]

    public init(environment: [String: String]) {
        self.environment = environment
    }

    public enum Failure: Error, Equatable, Sendable {
        /// `${VAR:?message}` with VAR unset or empty.
        case required(variable: String, message: String)
        case malformed(String)
    }

    public func expand(_ text: String) throws(Failure) -> String {
        var output = ""
        var rest = Substring(text)
        while let dollar = rest.firstIndex(of: "$") {
            output += rest[..<dollar]
            let after = rest[rest.index(after: dollar)...]
            if after.first == "$" {
                output += "$"
                rest = after.dropFirst()
            } else if after.first == "{" {
                guard let close = Self.matchingBrace(in: after) else {
                    throw .malformed("'${' without a closing '}'")
                }
                let body = after[after.index(after: after.startIndex)..<close]
                output += try substitute(String(body))
                rest = after[after.index(after: close)...]
            } else {
                output += "$"
                rest = after
            }
        }
        return output + rest
    }

    private func substitute(_ body: String) throws(Failure) -> String {
        let nameEnd = body.firstIndex { !($0.isLetter || $0.isNumber || $0 == "_") } ?? body.endIndex
        let name = String(body[..<nameEnd])
        guard !name.isEmpty, name.first?.isNumber == false, name.allSatisfy(\.isASCII) else {
            throw .malformed("'${\(body)}' does not start with a variable name")
        }
        let value = environment[name]
        let modifier = body[nameEnd...]
        if modifier.isEmpty { return value ?? "" }
        if modifier.hasPrefix(":-") {
            if let value, !value.isEmpty { return value }
            return try expand(String(modifier.dropFirst(2)))
        }
        if modifier.hasPrefix(":?") {
            if let value, !value.isEmpty { return value }
            let message = modifier.dropFirst(2)
            throw .required(variable: name, message: message.isEmpty ? "\(name) must be set" : String(message))
        }
        throw .malformed("'${\(body)}' uses an unknown form; use ${VAR}, ${VAR:-default} or ${VAR:?message}")
    }

    /// The index of the `}` that closes the `{` at the start of `text`, allowing nested `${...}` in defaults.
    private static func matchingBrace(in text: Substring) -> Substring.Index? {
        var depth = 0
        for index in text.indices {
            switch text[index] {
            case "{": depth += 1
            case "}":
                depth -= 1
                if depth == 0 { return index }
            default: break
            }
        }
        return nil
    }
}
