/// Rough scans of a JSON document's bytes, outside strings, to recognise the deliberate differences between
/// `JSONValue.parse` and `JSONDecoder` in the fuzz test. Not parsers: they only look for one pattern each.
enum JSONDocumentScan {
    /// The document's tokens: each string literal (raw, quotes included) or other byte run, in order.
    /// Whitespace is dropped; structural bytes are one-byte tokens.
    static func tokens(_ bytes: [UInt8]) -> [[UInt8]] {
        var tokens: [[UInt8]] = []
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            switch byte {
            case UInt8(ascii: "\""):
                var end = i + 1
                while end < bytes.count, bytes[end] != UInt8(ascii: "\"") {
                    end += bytes[end] == UInt8(ascii: "\\") ? 2 : 1
                }
                tokens.append(Array(bytes[i..<min(end + 1, bytes.count)]))
                i = end + 1
            case 0x20, 0x09, 0x0A, 0x0D:
                i += 1
            case UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: ","),
                UInt8(ascii: ":"):
                tokens.append([byte])
                i += 1
            default:
                var end = i
                while end < bytes.count, !Array("{}[],:\" \t\n\r".utf8).contains(bytes[end]) { end += 1 }
                tokens.append(Array(bytes[i..<end]))
                i = end
            }
        }
        return tokens
    }

    /// A `,` directly before `]` or `}`.
    static func hasTrailingComma(_ bytes: [UInt8]) -> Bool {
        let t = tokens(bytes)
        let closers: [[UInt8]] = [[UInt8(ascii: "]")], [UInt8(ascii: "}")]]
        return zip(t, t.dropFirst()).contains { $0 == [UInt8(ascii: ",")] && closers.contains($1) }
    }

    /// A number literal with a nonzero digit that rounds to zero as a `Double`.
    static func hasUnderflowingNumber(_ bytes: [UInt8]) -> Bool {
        tokens(bytes).contains { token in
            guard let value = Double(String(decoding: token, as: UTF8.self)), value == 0 else { return false }
            let mantissa = token.prefix { $0 != UInt8(ascii: "e") && $0 != UInt8(ascii: "E") }
            return mantissa.contains { $0 >= UInt8(ascii: "1") && $0 <= UInt8(ascii: "9") }
        }
    }

    /// A number like `0e1` or `0E7` (an unsigned zero with an exponent without a sign), which `JSONDecoder` rejects.
    static func hasZeroWithBareExponent(_ bytes: [UInt8]) -> Bool {
        tokens(bytes).contains { token in
            token.count >= 3 && token[0] == UInt8(ascii: "0") && (token[1] | 0x20) == UInt8(ascii: "e")
                && token[2] >= UInt8(ascii: "0") && token[2] <= UInt8(ascii: "9")
        }
    }

    /// Some object names the same key (compared as written) twice.
    static func hasDuplicateKey(_ bytes: [UInt8]) -> Bool {
        var stack: [Set<[UInt8]>?] = []
        var previous: [UInt8] = []
        let keyFollows: [[UInt8]] = [[UInt8(ascii: "{")], [UInt8(ascii: ",")]]
        for token in tokens(bytes) {
            switch token {
            case [UInt8(ascii: "{")]: stack.append([])
            case [UInt8(ascii: "[")]: stack.append(nil)
            case [UInt8(ascii: "}")], [UInt8(ascii: "]")]: _ = stack.popLast()
            case _ where token.first == UInt8(ascii: "\"") && keyFollows.contains(previous):
                if let keys = stack.last, var set = keys {
                    guard set.insert(token).inserted else { return true }
                    stack[stack.count - 1] = set
                }
            default: break
            }
            previous = token
        }
        return false
    }
}
