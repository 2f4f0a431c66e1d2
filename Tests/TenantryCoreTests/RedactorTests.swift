import Testing

@testable import TenantryCore

@Suite("Redactor")
struct RedactorTests {
    @Test func registeredSecretIsMaskedEverywhereItAppears() {
        let redactor = Redactor()
        redactor.register("hunter22")
        #expect(
            redactor.redact("password hunter22 rejected; hunter22 again")
                == "password ***** rejected; ***** again"
        )
    }

    @Test func unregisteredTextIsUntouched() {
        let redactor = Redactor()
        redactor.register("hunter22")
        #expect(redactor.redact("nothing secret here: hunter2") == "nothing secret here: hunter2")
    }

    @Test func freshRedactorsDoNotShareSecrets() {
        let first = Redactor()
        first.register("only-in-first")
        #expect(Redactor().redact("only-in-first") == "only-in-first")
        #expect(first.redact("only-in-first") == "*****")
    }

    @Test(arguments: [
        // (secret, how it appears percent-encoded in a URL)
        ("p@ss/word", "p%40ss%2Fword"),
        ("a b:c", "a%20b%3Ac"),
        ("pässwörd", "p%C3%A4ssw%C3%B6rd"),
        ("sé-cret.x_y~z@", "s%C3%A9-cret.x_y~z%40"),
    ])
    func percentEncodedFormIsMasked(secret: String, encoded: String) {
        let redactor = Redactor()
        redactor.register(secret)
        #expect(redactor.redact("raw=\(secret)") == "raw=*****")
        #expect(redactor.redact("server said: password=\(encoded) is wrong") == "server said: password=***** is wrong")
    }

    @Test(arguments: [nil, "", "a", "ab"] as [String?])
    func secretsShorterThanThreeCharactersAreNotRegistered(secret: String?) {
        let redactor = Redactor()
        redactor.register(secret)
        let text = "a bab ab abc"
        #expect(redactor.redact(text) == text)
    }

    @Test func threeCharacterSecretIsRegistered() {
        let redactor = Redactor()
        redactor.register("abc")
        #expect(redactor.redact("x abc y") == "x ***** y")
    }

    @Test func longerSecretIsMaskedBeforeAShorterOneInsideIt() {
        let redactor = Redactor()
        redactor.register("secret")
        redactor.register("secret-and-more")
        #expect(redactor.redact("v=secret-and-more") == "v=*****")
    }

    @Test(arguments: [
        ("postgresql://u:s3cret@h/db", "postgresql://u:*****@h/db"),
        ("connecting to postgres://app:pw%40x@db.example.com:5432/app?sslmode=require",
         "connecting to postgres://app:*****@db.example.com:5432/app?sslmode=require"),
        ("postgresql://:onlypass@h/db", "postgresql://:*****@h/db"),
        ("a postgresql://u:one@h1/db and b postgres://v:two@h2/db",
         "a postgresql://u:*****@h1/db and b postgres://v:*****@h2/db"),
        // No password: nothing to mask.
        ("postgresql://u@h/db", "postgresql://u@h/db"),
        ("postgresql://h:5432/db", "postgresql://h:5432/db"),
        ("no url at all: u:p@h", "no url at all: u:p@h"),
    ])
    func urlPasswordsAreMaskedEvenWhenNotRegistered(text: String, expected: String) {
        #expect(Redactor().redact(text) == expected)
        #expect(Redactor.redactURLPasswords(text) == expected)
    }

    @Test func maskedOutputNeverContainsTheSecret() {
        let redactor = Redactor()
        redactor.register("Tr0ub4dor&3")
        let output = redactor.redact("FATAL: password authentication failed (Tr0ub4dor&3) for postgres://u:Tr0ub4dor%263@h/db")
        #expect(!output.contains("Tr0ub4dor"))
    }
}

@Suite("Redactor: short secrets only where they stand alone")
struct RedactorShortSecretTests {
    @Test(arguments: [
        ("tenant devops is ACTIVE", "tenant devops is ACTIVE"),
        ("user local_dev on 127.0.0.1", "user local_dev on 127.0.0.1"),
        ("schema dev-team and dev.example", "schema dev-team and dev.example"),
        ("password=dev host=h", "password=***** host=h"),
        ("postgres://local_dev:dev@127.0.0.1/app", "postgres://local_dev:*****@127.0.0.1/app"),
        ("'dev' was refused; dev", "'*****' was refused; *****"),
    ])
    func aShortSecretIsMaskedOnlyAsAWholeWord(text: String, expected: String) {
        let redactor = Redactor()
        redactor.register("dev")
        #expect(redactor.redact(text) == expected)
    }

    @Test func aLongSecretIsMaskedEvenInsideAWord() {
        let redactor = Redactor()
        redactor.register("s3cretpass")
        #expect(redactor.redact("xs3cretpassy") == "x*****y")
    }
}
