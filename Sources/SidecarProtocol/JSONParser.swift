/// A strict RFC 8259 parser from UTF-8 bytes to `JSONValue`, behind `JSONValue.parse`.
///
/// Hand-written because every client message and every upstream SSE event goes through it:
/// `JSONDecoder` with the Codable `JSONValue` costs several times more, and `JSONSerialization` cannot tell
/// `true` from `1` on Linux. Byte-level, no Foundation. Decisions, with `JSONDecoder` (Swift 6.3, Linux) as
/// the compatibility reference:
/// - Rejected like `JSONDecoder`: leading zeros, `1.`, `.5`, `+1`, `NaN`, unescaped control characters,
///   lone surrogates in `\u` escapes, invalid UTF-8, trailing garbage, nesting deeper than `maxDepth` (512),
///   numbers whose magnitude overflows `Double` (`1e400`: JSONValue never holds an infinity).
/// - Accepted like `JSONDecoder`: any value at top level, a leading UTF-8 byte order mark (RFC 8259 allows
///   ignoring it).
/// - Deliberately different: trailing commas (`[1,]`, `{"a":1,}`) are rejected (`JSONDecoder` accepts them,
///   RFC 8259 does not); a repeated object key keeps the last value, as JavaScript and Python do (`JSONDecoder`
///   keeps the first); a nonzero number too small for `Double` (`1e-400`) reads as its correctly rounded value,
///   0 (`JSONDecoder` rejects it); `0e1` is a number (`JSONDecoder` rejects it, though it takes `0e+1`); input
///   must be UTF-8 (`JSONDecoder` also guesses UTF-16/32 from NUL bytes, so it reads the bytes 00 38 as 8).
struct JSONParser {
    /// The deepest nesting of arrays and objects accepted; deeper input is hostile, not data.
    static let maxDepth = 512

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private var depth = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// Parses exactly one JSON document filling `bytes` (whitespace around it allowed).
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONParseError) -> JSONValue {
        var parser = JSONParser(bytes)
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { parser.index = 3 }
        parser.skipWhitespace()
        let value = try parser.parseValue()
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw parser.failure("unexpected data after the JSON value") }
        return value
    }

    // MARK: Values

    /// The byte at the cursor, or 0 at the end (0 is never valid outside a string).
    private var current: UInt8 { index < bytes.count ? bytes[index] : 0 }

    private mutating func parseValue() throws(JSONParseError) -> JSONValue {
        switch current {
        case Byte.quote: return .string(try parseString())
        case Byte.openBrace: return try parseObject()
        case Byte.openBracket: return try parseArray()
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw unexpected("a value")
        }
    }

    private mutating func parseArray() throws(JSONParseError) -> JSONValue {
        try enterContainer()
        skipWhitespace()
        var items: [JSONValue] = []
        if current == Byte.closeBracket {
            index += 1
            depth -= 1
            return .array(items)
        }
        while true {
            items.append(try parseValue())
            skipWhitespace()
            switch current {
            case Byte.comma:
                index += 1
                skipWhitespace()
            case Byte.closeBracket:
                index += 1
                depth -= 1
                return .array(items)
            default: throw unexpected("',' or ']'")
            }
        }
    }

    private mutating func parseObject() throws(JSONParseError) -> JSONValue {
        try enterContainer()
        skipWhitespace()
        var fields: [String: JSONValue] = [:]
        if current == Byte.closeBrace {
            index += 1
            depth -= 1
            return .object(fields)
        }
        while true {
            guard current == Byte.quote else { throw unexpected("a string key") }
            let key = try parseString()
            skipWhitespace()
            guard current == Byte.colon else { throw unexpected("':'") }
            index += 1
            skipWhitespace()
            fields[key] = try parseValue()
            skipWhitespace()
            switch current {
            case Byte.comma:
                index += 1
                skipWhitespace()
            case Byte.closeBrace:
                index += 1
                depth -= 1
                return .object(fields)
            default: throw unexpected("',' or '}'")
            }
        }
    }

    /// Steps over the opening bracket or brace, refusing to nest deeper than `maxDepth`.
    private mutating func enterContainer() throws(JSONParseError) {
        depth += 1
        guard depth <= Self.maxDepth else { throw failure("nesting deeper than \(Self.maxDepth) levels") }
        index += 1
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let start = index
        let count = literal.utf8CodeUnitCount
        let matches = literal.withUTF8Buffer { expected in
            bytes.count - start >= count && (0..<count).allSatisfy { bytes[start + $0] == expected[$0] }
        }
        guard matches else { throw unexpected("a value") }
        index += count
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    // MARK: Numbers

    /// Validates the JSON number grammar, then converts: short integers exactly by hand, anything else with
    /// the standard library's correctly rounded `Double(_:)` on the validated ASCII text.
    private mutating func parseNumber() throws(JSONParseError) -> Double {
        let start = index
        let negative = current == UInt8(ascii: "-")
        if negative { index += 1 }
        var integer: UInt64 = 0
        var digitCount = 0
        if current == UInt8(ascii: "0") {
            index += 1
            digitCount = 1
            guard !Self.isDigit(current) else { throw failure("leading zero in a number") }
        } else {
            while Self.isDigit(current) {
                if digitCount < 19 { integer = integer &* 10 &+ UInt64(current &- UInt8(ascii: "0")) }
                digitCount += 1
                index += 1
            }
            guard digitCount > 0 else { throw unexpected("a digit") }
        }
        var isInteger = true
        if current == UInt8(ascii: ".") {
            index += 1
            try skipDigits()
            isInteger = false
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            try skipDigits()
            isInteger = false
        }
        if isInteger && digitCount <= 15 {
            return negative ? -Double(integer) : Double(integer)
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else { throw failure("number out of range", at: start) }
        return value
    }

    private mutating func skipDigits() throws(JSONParseError) {
        guard Self.isDigit(current) else { throw unexpected("a digit") }
        while Self.isDigit(current) { index += 1 }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    // MARK: Errors

    private func failure(_ reason: String, at offset: Int? = nil) -> JSONParseError {
        JSONParseError(offset: offset ?? index, reason: reason)
    }

    private func unexpected(_ expected: String) -> JSONParseError {
        guard index < bytes.count else { return failure("unexpected end of input, expected \(expected)") }
        let byte = bytes[index]
        let shown = byte >= 0x20 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : "byte \(byte)"
        return failure("unexpected \(shown), expected \(expected)")
    }
}

extension JSONParser {
    // MARK: Strings

    /// A string at the cursor (on its opening quote). The common case, no escapes, becomes a `String` straight
    /// from the input bytes; escapes go through a scratch buffer. Either way the UTF-8 is validated.
    private mutating func parseString() throws(JSONParseError) -> String {
        let start = index
        index += 1
        var ascii = true
        while index < bytes.count {
            let byte = bytes[index]
            if byte == Byte.quote {
                let utf8 = UnsafeBufferPointer(rebasing: bytes[(start + 1)..<index])
                let text = try makeString(utf8, ascii: ascii, at: start)
                index += 1
                return text
            }
            if byte == Byte.backslash { return try parseEscapedString(from: start, ascii: ascii) }
            if byte < 0x20 { throw failure("unescaped control character in a string") }
            if byte >= 0x80 { ascii = false }
            index += 1
        }
        throw failure("unterminated string", at: start)
    }

    /// The rest of a string from its first backslash; `ascii` tells whether the bytes before it were ASCII.
    private mutating func parseEscapedString(from start: Int, ascii prefixIsASCII: Bool) throws(JSONParseError)
        -> String
    {
        var scratch = Array(bytes[(start + 1)..<index])
        scratch.reserveCapacity(scratch.count + 32)
        var ascii = prefixIsASCII
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case Byte.quote:
                index += 1
                return try scratch.withUnsafeBufferPointer { (buffer) throws(JSONParseError) in
                    try makeString(buffer, ascii: ascii, at: start)
                }
            case Byte.backslash:
                try appendEscape(to: &scratch, ascii: &ascii)
            case 0..<0x20:
                throw failure("unescaped control character in a string")
            default:
                if byte >= 0x80 { ascii = false }
                scratch.append(byte)
                index += 1
            }
        }
        throw failure("unterminated string", at: start)
    }

    private func makeString(_ utf8: UnsafeBufferPointer<UInt8>, ascii: Bool, at start: Int) throws(JSONParseError)
        -> String
    {
        if ascii { return String(decoding: utf8, as: UTF8.self) }
        guard let text = String(validating: utf8, as: UTF8.self) else {
            throw failure("invalid UTF-8 in a string", at: start)
        }
        return text
    }

    /// Decodes the escape at the cursor (on its backslash) and appends its UTF-8.
    private mutating func appendEscape(to scratch: inout [UInt8], ascii: inout Bool) throws(JSONParseError) {
        let escapeStart = index
        index += 1
        let simple: UInt8
        switch current {
        case Byte.quote, Byte.backslash, UInt8(ascii: "/"): simple = current
        case UInt8(ascii: "b"): simple = 0x08
        case UInt8(ascii: "f"): simple = 0x0C
        case UInt8(ascii: "n"): simple = 0x0A
        case UInt8(ascii: "r"): simple = 0x0D
        case UInt8(ascii: "t"): simple = 0x09
        case UInt8(ascii: "u"):
            let scalar = try readUnicodeEscape(escapeStart)
            if scalar.value >= 0x80 { ascii = false }
            UTF8.encode(scalar) { scratch.append($0) }
            return
        default: throw failure("invalid escape in a string", at: escapeStart)
        }
        scratch.append(simple)
        index += 1
    }

    /// `\uXXXX` at the cursor (on the `u`), or a surrogate pair `\uD83D\uDE00`. A lone surrogate is an error.
    private mutating func readUnicodeEscape(_ escapeStart: Int) throws(JSONParseError) -> Unicode.Scalar {
        index += 1
        let first = try readHex4(escapeStart)
        switch first {
        case 0xD800...0xDBFF:
            guard current == Byte.backslash, index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u") else {
                throw failure("unpaired surrogate in a \\u escape", at: escapeStart)
            }
            index += 2
            let second = try readHex4(escapeStart)
            guard (0xDC00...0xDFFF).contains(second) else {
                throw failure("unpaired surrogate in a \\u escape", at: escapeStart)
            }
            let combined = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            guard let scalar = Unicode.Scalar(combined) else { throw failure("invalid \\u escape", at: escapeStart) }
            return scalar
        case 0xDC00...0xDFFF:
            throw failure("unpaired surrogate in a \\u escape", at: escapeStart)
        default:
            guard let scalar = Unicode.Scalar(first) else { throw failure("invalid \\u escape", at: escapeStart) }
            return scalar
        }
    }

    private mutating func readHex4(_ escapeStart: Int) throws(JSONParseError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = current
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure("\\u escape needs four hex digits", at: escapeStart)
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }
}

/// The structural bytes of JSON.
private enum Byte {
    static let quote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
    static let openBracket = UInt8(ascii: "[")
    static let closeBracket = UInt8(ascii: "]")
    static let comma = UInt8(ascii: ",")
    static let colon = UInt8(ascii: ":")
}
