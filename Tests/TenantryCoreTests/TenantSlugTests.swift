import Foundation
import Testing

@testable import TenantryCore

@Suite("TenantSlug")
struct TenantSlugTests {
    @Test func theCorpusIsLargeEnough() {
        #expect(TenantSlugCorpus.bad.count >= 30)
    }

    @Test(arguments: TenantSlugCorpus.bad)
    func badSlugIsRefusedWithItsMessage(_ bad: BadSlug) throws {
        let error = try #require(throws: TenantryError.self) { try TenantSlug(bad.raw) }
        #expect(error.message == bad.message)
        #expect(error.hint == bad.hint)
        #expect(error.kind == .usage)
        #expect(error.exitCode == 64)
    }

    @Test(arguments: TenantSlugCorpus.bad)
    func messagesNeverCarryControlCharactersOrFloods(_ bad: BadSlug) throws {
        let error = try #require(throws: TenantryError.self) { try TenantSlug(bad.raw) }
        let invisible = error.description.unicodeScalars.filter {
            $0 != "\n" && [.control, .format, .lineSeparator, .paragraphSeparator].contains($0.properties.generalCategory)
        }
        #expect(invisible.isEmpty)
        #expect(error.message.count <= 250)
    }

    @Test(arguments: TenantSlugCorpus.bad)
    func decodingRefusesBadSlugsToo(_ bad: BadSlug) throws {
        let json = try JSONEncoder().encode([bad.raw])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([TenantSlug].self, from: json) }
    }

    @Test(arguments: [
        "a", "z9", "acme", "wellos", "demo", "north-wind", "north-wind-2", "a1-b2-c3", "x-1-y-2",
        "pg", "pgadmin", "pg1", "postgres-app", "master-data", "publicity", "template2", "tenantry-demo",
        "information", "public1", "a" + String(repeating: "0", count: 39),
        String(repeating: "q", count: 40),
    ])
    func goodSlugIsAcceptedAsTyped(_ raw: String) throws {
        #expect(raw.count <= 40)
        let slug = try TenantSlug(raw)
        #expect(slug.value == raw)
        #expect(slug.description == raw)
    }

    @Test func lengthLimitIsFortyCharacters() throws {
        #expect(TenantSlug.maxLength == 40)
        #expect(try TenantSlug("a" + String(repeating: "1", count: 39)).value.count == 40)
        #expect(throws: TenantryError.self) { try TenantSlug("a" + String(repeating: "1", count: 40)) }
    }

    @Test func upperCaseHintIsItselfAValidSlug() throws {
        let error = try #require(throws: TenantryError.self) { try TenantSlug("North-Wind") }
        #expect(error.hint?.hasPrefix("use 'north-wind':") == true)
        #expect(try TenantSlug("north-wind").value == "north-wind")
    }

    @Test func codableRoundTripIsAPlainString() throws {
        let slug = try TenantSlug("north-wind")
        let data = try JSONEncoder().encode(["id": slug])
        #expect(String(decoding: data, as: UTF8.self) == #"{"id":"north-wind"}"#)
        #expect(try JSONDecoder().decode([String: TenantSlug].self, from: data) == ["id": slug])
    }

    @Test func slugsAreEqualByValue() throws {
        #expect(try TenantSlug("acme") == TenantSlug("acme"))
        #expect(try TenantSlug("acme") != TenantSlug("acme-2"))
        #expect(try Set([TenantSlug("acme"), TenantSlug("acme")]).count == 1)
    }

    @Test func rulesParagraphNamesEveryRule() {
        let rules = TenantSlug.rules
        for fragment in ["1 to 40 characters", "lower-case ASCII letters a-z", "digits 0-9", "hyphens", "starts with a letter",
                         "does not end with a hyphen", "two hyphens in a row", "Upper case is refused",
                         "postgres, template0, template1, public, tenantry, information_schema, master", "pg- or pg_"] {
            #expect(rules.contains(fragment), "\(fragment)")
        }
        #expect(!rules.contains("\n"))
    }
}
