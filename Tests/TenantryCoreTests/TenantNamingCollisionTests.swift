import Testing

@testable import TenantryCore

@Suite("TenantNaming collisions")
struct TenantNamingCollisionTests {
    static let patterns = ["t_{hash}", "{slug}_app", "tenant_{slug}", "{slug}", "x_{slug}_{hash}", "{slug}{hash}", "{slug}_{slug}"]

    /// ~5000 distinct valid slugs: every slug up to 6 characters over `a b 0 -` (the near misses:
    /// `ab-0` and `a-b0`, `a0` and `a-0`), then seeded random ones of every length up to 40.
    static let slugs: [TenantSlug] = {
        var raws: [String] = []
        var layer = ["a", "b"]
        for _ in 1...6 {
            raws += layer
            layer = layer.flatMap { prefix in ["a", "b", "0", "-"].map { prefix + $0 } }
        }
        var generator = SplitMix(seed: 42)
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789-")
        while raws.count < 6400 {
            let length = Int(generator.next() % 40) + 1
            raws.append(String((0..<length).map { index in alphabet[Int(generator.next() % (index == 0 ? 26 : 37))] }))
        }
        var seen = Set<String>()
        return raws.compactMap { raw in seen.insert(raw).inserted ? try? TenantSlug(raw) : nil }
    }()

    @Test func theGeneratedSetIsLargeAndVaried() {
        #expect(Self.slugs.count >= 5000)
        #expect(Set(Self.slugs.map(\.value.count)).count == 40)
        #expect(Self.slugs.contains { $0.value == "ab-0" } && Self.slugs.contains { $0.value == "a-b0" })
    }

    @Test(arguments: patterns)
    func differentSlugsNeverShareAName(pattern: String) throws {
        let naming = try TenantNaming(pattern: pattern)
        var owner: [String: String] = [:]
        var named = 0
        for slug in Self.slugs where slug.value.count <= naming.maxSlugLength {
            let name = try naming.name(for: slug).name
            #expect(owner[name] == nil, "\(slug) and \(owner[name] ?? "") both give \(name)")
            owner[name] = slug.value
            named += 1
            #expect(name.utf8.count <= 63)
            #expect(Self.isPlainIdentifier(name), "\(name)")
        }
        #expect(named >= 4000)
    }

    /// The proof behind "{slug} is injective": from the name alone (and the pattern) the slug is
    /// recovered, so no two slugs can share a name. The inverse is written here, independently.
    @Test(arguments: patterns.filter { $0.contains("{slug}") })
    func theSlugCanBeReadBackFromTheName(pattern: String) throws {
        let naming = try TenantNaming(pattern: pattern)
        let parts = pattern.components(separatedBy: "{slug}")
        let fixed = parts.joined().replacingOccurrences(of: "{hash}", with: String(repeating: "h", count: 12)).utf8.count
        let slugCount = parts.count - 1
        let hashBeforeSlug = parts[0].contains("{hash}") ? 12 - "{hash}".count : 0
        for slug in Self.slugs where slug.value.count <= naming.maxSlugLength {
            let name = Array(try naming.name(for: slug).name.utf8)
            // Literal text and hashes have fixed lengths, so the name's length gives the slug's.
            let length = (name.count - fixed) / slugCount
            let start = parts[0].utf8.count + hashBeforeSlug
            let spelled = String(decoding: name[start..<start + length], as: UTF8.self)
            // Slugs never contain "_", so "_" can only have come from "-".
            #expect(spelled.replacingOccurrences(of: "_", with: "-") == slug.value)
        }
    }

    static func isPlainIdentifier(_ name: String) -> Bool {
        guard let first = name.utf8.first, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first) else { return false }
        return name.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
        }
    }
}

/// A tiny seeded generator, so the set is the same on every run.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
