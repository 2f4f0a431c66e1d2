import Testing

@testable import TenantryCore

@Suite("DotEnv")
struct DotEnvTests {
    static func parse(_ text: String) throws(TenantryError) -> [String: String] {
        try DotEnv.parse(text, file: ".env")
    }

    @Test(arguments: [
        ("KEY=value", "value"),
        ("KEY = value", "value"),
        ("  KEY=value  ", "value"),
        ("KEY=", ""),
        ("KEY=a=b=c", "a=b=c"),
        ("export KEY=value", "value"),
        ("export   KEY=value", "value"),
        ("\tKEY=value", "value"),
        // Unquoted: " #" starts a comment, a '#' inside a word does not.
        ("KEY=value # a comment", "value"),
        ("KEY=value#not-a-comment", "value#not-a-comment"),
        ("KEY=postgres://u:p#w@h/db", "postgres://u:p#w@h/db"),
        ("KEY=#notacomment", "#notacomment"),
        // Single quotes are literal.
        ("KEY='a value # with hash'", "a value # with hash"),
        (#"KEY='no\nescape'"#, #"no\nescape"#),
        ("KEY='${NOT_EXPANDED}'", "${NOT_EXPANDED}"),
        ("KEY=''", ""),
        // Double quotes understand \n and \".
        (#"KEY="line1\nline2""#, "line1\nline2"),
        (#"KEY="say \"hi\"""#, #"say "hi""#),
        (#"KEY="a # b""#, "a # b"),
        (#"KEY="  padded  ""#, "  padded  "),
        (#"KEY="""#, ""),
        (#"KEY="quoted" # trailing comment"#, "quoted"),
        (#"KEY="a" # say "hi""#, "a"),
        (#"KEY='ends\'"#, #"ends\"#),
        (#"KEY="back\\slash""#, #"back\slash"#),
        ("KEY=value\r", "value"),
    ])
    func parsesValue(line: String, expected: String) throws {
        #expect(try Self.parse(line) == ["KEY": expected])
    }

    @Test func parsesAWholeFile() throws {
        let text = """
            # database settings

            export DATABASE_URL=postgres://app@localhost/app
              # indented comment
            PGPASSWORD='s3cret # not a comment'
            GREETING="hello\\nworld"

            EMPTY=
            """
        #expect(
            try Self.parse(text) == [
                "DATABASE_URL": "postgres://app@localhost/app",
                "PGPASSWORD": "s3cret # not a comment",
                "GREETING": "hello\nworld",
                "EMPTY": "",
            ]
        )
    }

    @Test func laterAssignmentWins() throws {
        #expect(try Self.parse("A=1\nA=2") == ["A": "2"])
    }

    @Test func windowsLineEndings() throws {
        #expect(try Self.parse("A=1\r\nB='two'\r\n# c\r\nC=\"3\"\r\n") == ["A": "1", "B": "two", "C": "3"])
    }

    @Test func emptyFileAndOnlyCommentsGiveNothing() throws {
        #expect(try Self.parse("") == [:])
        #expect(try Self.parse("\n\n# only a comment\n   \n") == [:])
    }

    @Test(arguments: [
        ("A=1\nnot a key value line\n", 2),
        ("# comment\n\nJUSTAWORD", 3),
        ("A=1\nB=2\nC=3\nexport\n", 4),
    ])
    func lineWithoutEqualsNamesTheLine(text: String, line: Int) throws {
        let error = try #require(throws: TenantryError.self) { try Self.parse(text) }
        #expect(error.message == ".env:\(line): expected KEY=value")
        #expect(error.exitCode == 2)
    }

    @Test(arguments: [
        ("A=1\nBAD KEY=x", 2, "BAD KEY"),
        ("=value", 1, ""),
        ("\n\nMY-VAR=1", 3, "MY-VAR"),
        ("KÉY=1", 1, "KÉY"),
    ])
    func invalidVariableNameNamesTheLineAndKey(text: String, line: Int, key: String) throws {
        let error = try #require(throws: TenantryError.self) { try Self.parse(text) }
        #expect(error.message == ".env:\(line): '\(key)' is not a valid variable name")
        #expect(error.exitCode == 2)
    }

    @Test(arguments: [
        ("A=1\nB=\"unterminated", 2, "\""),
        ("A='unterminated", 1, "'"),
    ])
    func unterminatedQuoteNamesTheLine(text: String, line: Int, quote: String) throws {
        let error = try #require(throws: TenantryError.self) { try Self.parse(text) }
        #expect(error.message == ".env:\(line): a quoted value is missing its closing \(quote)")
        #expect(error.exitCode == 2)
    }

    @Test func textAfterTheClosingQuoteIsAnError() throws {
        #expect(throws: TenantryError.setup(".env:1: unexpected text after the closing \"", hint: "start a comment with ' #'")) {
            try Self.parse(#"KEY="a" junk"#)
        }
    }

    @Test func fileNameIsUsedInMessages() throws {
        let error = try #require(throws: TenantryError.self) { try DotEnv.parse("oops", file: "config/.env.local") }
        #expect(error.message.hasPrefix("config/.env.local:1: "))
    }
}
