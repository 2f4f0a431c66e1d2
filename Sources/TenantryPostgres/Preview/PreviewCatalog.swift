import Foundation
import Logging
import PostgresNIO
import TenantryCore

/// The previews on a server: each preview's master database carries a comment (`COMMENT ON DATABASE`) naming its
/// branch, the project's master database and when it was made, so `preview list` and `preview destroy
/// --older-than` need nothing but `pg_database`.
public struct PreviewCatalog: Sendable {
    public struct Entry: Sendable, Encodable, Equatable {
        public var database: String
        public var branch: String
        public var base: String
        public var createdAt: Date

        enum CodingKeys: String, CodingKey {
            case database, branch, base, createdAt = "created_at"
        }
    }

    private struct Mark: Codable {
        var tenantryPreview = 1
        var branch: String
        var base: String
        var createdAt: Date

        enum CodingKeys: String, CodingKey {
            case tenantryPreview = "tenantry_preview", branch, base, createdAt = "created_at"
        }
    }

    public let admin: DatabaseAdmin
    public let logger: Logger

    public init(server: PostgresConnector, logger: Logger) throws(TenantryError) {
        self.admin = try DatabaseAdmin(server: server)
        self.logger = logger
    }

    /// The previews of the project whose master database is `base`, oldest first.
    public func list(base: String) async throws -> [Entry] {
        try await admin.connector.withConnection { connection in
            let rows = try await connection.query("""
                SELECT datname::text, shobj_description(oid, 'pg_database') FROM pg_database
                WHERE shobj_description(oid, 'pg_database') LIKE '%"tenantry_preview":1%'
                """, logger: logger).collect()
            var entries: [Entry] = []
            for row in rows {
                let (database, comment) = try row.decode((String, String).self)
                guard let mark = try? Self.decoder.decode(Mark.self, from: Data(comment.utf8)), mark.base == base else { continue }
                entries.append(Entry(database: database, branch: mark.branch, base: mark.base, createdAt: mark.createdAt))
            }
            return entries.sorted { ($0.createdAt, $0.database) < ($1.createdAt, $1.database) }
        }
    }

    /// Records `database` as the preview of `branch`, unless it already is one (its age is kept).
    public func mark(_ database: SQLIdentifier, branch: String, base: String) async throws {
        let comment = String(decoding: try Self.encoder.encode(Mark(branch: branch, base: base, createdAt: Date())), as: UTF8.self)
        try await admin.connector.withConnection { connection in
            // COMMENT takes no parameters: the values are bound into settings, and the server quotes them (%I, %L).
            _ = try await connection.query("""
                SELECT set_config('tenantry.preview_database', \(database.name), false),
                       set_config('tenantry.preview_comment', \(comment), false)
                """, logger: logger).collect()
            try await connection.execute("""
                DO $$ BEGIN
                  IF coalesce(shobj_description((SELECT oid FROM pg_database WHERE datname = current_setting('tenantry.preview_database')),
                                                'pg_database'), '') NOT LIKE '%"tenantry_preview":1%' THEN
                    EXECUTE format('COMMENT ON DATABASE %I IS %L', current_setting('tenantry.preview_database'),
                                   current_setting('tenantry.preview_comment'));
                  END IF;
                END $$
                """, logger: logger)
        }
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}
