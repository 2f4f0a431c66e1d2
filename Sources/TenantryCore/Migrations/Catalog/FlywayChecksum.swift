/// The checksum Flyway records in `flyway_schema_history.checksum`: CRC-32 over the UTF-8 bytes of each line
/// without its line break (a byte-order mark already removed), as a signed 32-bit integer. `adopt` compares it.
enum FlywayChecksum {
    static func of(_ file: CatalogFile) -> Int32 {
        var crc: UInt32 = 0xFFFF_FFFF
        // Java's readLine ends a line at \n, \r\n or a lone \r.
        for line in file.text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            for byte in line.utf8 {
                crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
            }
        }
        return Int32(bitPattern: crc ^ 0xFFFF_FFFF)
    }

    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }
}
