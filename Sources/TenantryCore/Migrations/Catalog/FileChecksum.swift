import Crypto
import Foundation

/// SHA-256 of a file's exact bytes as lowercase hex: the value history rows keep to notice later edits.
enum FileChecksum {
    static func sha256(_ data: Data) -> String {
        let digits = Array("0123456789abcdef")
        var hex = ""
        hex.reserveCapacity(64)
        for byte in SHA256.hash(data: data) {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0f)])
        }
        return hex
    }
}
