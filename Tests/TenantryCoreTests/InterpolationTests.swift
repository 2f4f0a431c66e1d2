import Testing

@testable import TenantryCore

@Suite("Interpolation")
struct InterpolationTests {
    static let environment = [
        "HOST": "db.example.com",
        "PORT": "5432",
        "EMPTY": "",
        "B": "from-b",
        "WITH_DOLLAR": "p$ss",
    ]

    static func expand(_ text: String, _ environment: [String: String] = environment) throws(Interpolation.Failure) -> String {
        try Interpolation(environment: environment).expand(text)
    }

    @Test(arguments: [
        // Plain text and variables.
        ("no variables here", "no variables here"),
        ("", ""),
        ("${HOST}", "db.example.com"),
        ("postgres://${HOST}:${PORT}/app", "postgres://db.example.com:5432/app"),
        ("${UNSET}", ""),
        ("${EMPTY}", ""),
        ("x${UNSET}y", "xy"),
        // A variable's value is not expanded again.
        ("${WITH_DOLLAR}", "p$ss"),
        // Defaults: unset and empty both take the default.
        ("${UNSET:-fallback}", "fallback"),
        ("${EMPTY:-fallback}", "fallback"),
        ("${HOST:-fallback}", "db.example.com"),
        ("${UNSET:-}", ""),
        ("${UNSET:-a default with spaces}", "a default with spaces"),
        ("${UNSET:-postgres://localhost/db}", "postgres://localhost/db"),
        // Nested defaults.
        ("${A:-${B:-x}}", "from-b"),
        ("${A:-${C:-x}}", "x"),
        ("${A:-${EMPTY:-x}}", "x"),
        ("${A:-pre-${HOST}-post}", "pre-db.example.com-post"),
        ("${HOST:-${UNSET:?never evaluated}}", "db.example.com"),
        // Dollars that are not variables.
        ("$$", "$"),
        ("$${HOST}", "${HOST}"),
        ("price: $$5", "price: $5"),
        ("$$$$", "$$"),
        ("$", "$"),
        ("a $ b", "a $ b"),
        ("ends with $", "ends with $"),
        ("$HOST", "$HOST"),
        ("${UNSET:-$$}", "$"),
    ])
    func expands(input: String, expected: String) throws {
        #expect(try Self.expand(input) == expected)
    }

    @Test func requiredVariableThatIsSetExpands() throws {
        #expect(try Self.expand("${HOST:?HOST is needed}") == "db.example.com")
    }

    @Test(arguments: ["${DB_URL:?set DB_URL to the master database}", "prefix-${DB_URL:?set DB_URL to the master database}-suffix"])
    func requiredVariableUnsetCarriesVariableAndMessage(input: String) {
        #expect(throws: Interpolation.Failure.required(variable: "DB_URL", message: "set DB_URL to the master database")) {
            try Self.expand(input)
        }
    }

    @Test func requiredVariableEmptyCountsAsUnset() {
        #expect(throws: Interpolation.Failure.required(variable: "EMPTY", message: "must not be empty")) {
            try Self.expand("${EMPTY:?must not be empty}")
        }
    }

    @Test func requiredVariableWithoutMessageGetsDefaultMessage() {
        #expect(throws: Interpolation.Failure.required(variable: "DB_URL", message: "DB_URL must be set")) {
            try Self.expand("${DB_URL:?}")
        }
    }

    @Test func requiredInsideDefaultFailsWhenReached() {
        #expect(throws: Interpolation.Failure.required(variable: "INNER", message: "inner missing")) {
            try Self.expand("${OUTER:-${INNER:?inner missing}}")
        }
    }

    @Test(arguments: ["${", "${HOST", "abc ${HOST", "${A:-${B:-x}", "${A:-${B}"])
    func unterminatedBraceIsMalformed(input: String) {
        #expect(throws: Interpolation.Failure.malformed("'${' without a closing '}'")) {
            try Self.expand(input)
        }
    }

    @Test(arguments: [
        ("${1X}", "'${1X}' does not start with a variable name"),
        ("${}", "'${}' does not start with a variable name"),
        ("${:-x}", "'${:-x}' does not start with a variable name"),
        ("${-x}", "'${-x}' does not start with a variable name"),
        ("${ HOST}", "'${ HOST}' does not start with a variable name"),
        ("${HÖST}", "'${HÖST}' does not start with a variable name"),
    ])
    func badVariableNames(input: String, message: String) {
        #expect(throws: Interpolation.Failure.malformed(message)) {
            try Self.expand(input)
        }
    }

    @Test(arguments: ["${VAR:+x}", "${VAR-x}", "${VAR?x}", "${VAR:=x}", "${VAR x}", "${VAR:}"])
    func unknownFormsAreMalformed(input: String) throws {
        let body = String(input.dropFirst(2).dropLast())
        #expect(
            throws: Interpolation.Failure.malformed(
                "'${\(body)}' uses an unknown form; use ${VAR}, ${VAR:-default} or ${VAR:?message}"
            )
        ) {
            try Self.expand(input)
        }
    }

    @Test func variableNamesMayContainDigitsAndUnderscores() throws {
        #expect(try Self.expand("${_A1_b2}", ["_A1_b2": "ok"]) == "ok")
    }
}
