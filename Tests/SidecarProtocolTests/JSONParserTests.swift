import SidecarProtocol
import Testing

/// `JSONValue.parse` accepts exactly RFC 8259 JSON (JSONTestSuite-style y_/n_ cases) and says where it failed.
@Suite struct JSONParserTests {
    static func parse(_ text: String) throws(JSONParseError) -> JSONValue { try JSONValue.parse(Array(text.utf8)) }

    static let accepted: [(name: String, text: String, value: JSONValue)] = [
        ("y_empty_object", #"{}"#, [:]),
        ("y_empty_array", #"[]"#, []),
        ("y_whitespace_everywhere", " \t\r\n{ \"a\" :\n[ 1 , true,false ,null ] }\n ", ["a": [1, true, false, nil]]),
        ("y_top_level_number", "42", 42),
        ("y_top_level_string", #""x""#, "x"),
        ("y_top_level_null", "null", nil),
        ("y_negative_zero", "-0", .number(-0.0)),
        ("y_zero_fraction", "0.5", 0.5),
        ("y_exponent_forms", "[1e2, 1E2, 1e+2, 1e-2, -1.5E-0, 0e0]", [100, 100, 100, 0.01, -1.5, 0]),
        ("y_exponent_leading_zeros", "1e007", 1e7),
        ("y_big_integer_rounded", "123456789012345678901234567890", 1.2345678901234568e29),
        ("y_max_safe_integer", "9007199254740993", 9_007_199_254_740_992),
        ("y_long_fraction", "0.1000000000000000055511151231257827", 0.1),
        ("y_max_double", "1.7976931348623157e308", .number(Double.greatestFiniteMagnitude)),
        ("y_min_subnormal", "4.9e-324", .number(Double.leastNonzeroMagnitude)),
        ("y_underflow_to_zero", "1e-400", 0),
        ("y_simple_escapes", #""\" \\ \/ \b \f \n \r \t""#, "\" \\ / \u{8} \u{c} \n \r \t"),
        ("y_unicode_escape", #""\u0041\u00e9\u2603""#, "Aé☃"),
        ("y_unicode_escape_upper_hex", #""\u00E9""#, "é"),
        ("y_escaped_nul", #""a\u0000b""#, "a\u{0}b"),
        ("y_surrogate_pair", #""\uD83D\uDE00""#, "😀"),
        ("y_surrogate_pair_lower_hex", #""\ud800\udc00""#, "\u{10000}"),
        ("y_last_scalar", #""\uDBFF\uDFFF""#, "\u{10FFFF}"),
        ("y_raw_utf8", "\"é ☃ 😀\"", "é ☃ 😀"),
        ("y_raw_del", "\"\u{7f}\"", "\u{7f}"),
        ("y_escapes_around_utf8", #""é\n😀\t""#, "é\n😀\t"),
        ("y_empty_key", #"{"":0}"#, ["": 0]),
        ("y_duplicate_key_last_wins", #"{"a":1,"a":2}"#, ["a": 2]),
        ("y_nested", #"{"a":[{"b":[[]]},{}]}"#, ["a": [["b": [[]]], [:]]]),
        ("y_bom", "\u{feff}[1]", [1]),
    ]

    /// Every y_ document parses to the expected value.
    @Test(arguments: accepted) func acceptsValidDocument(_ name: String, _ text: String, _ expected: JSONValue) throws {
        #expect(try Self.parse(text) == expected, "\(name)")
    }

    static let rejected: [String] = [
        "", " ", "[1,]", #"{"a":1,}"#, "[,1]", "[1,,2]", "{,}", "[", "]", "{", #"{"a""#, #"{"a":}"#, #"{"a" 1}"#,
        "{1:1}", "{a:1}", "['a']", "01", "-01", "00", "1.", ".5", "-", "- 1", "+1", "1e", "1e+", "1.e5", "0x1",
        "1_000", "NaN", "-NaN", "Infinity", "-Infinity", "1e400", "-1e400", "1e999999999", "tru", "nul", "nulll",
        "True", "[1]x", "[1] [2]", "1 2", "[1]\u{0}", "[1]\u{c}", "\u{a0}[1]", #""abc"#, #""\u00""#, #""\u00G0""#,
        #""\x41""#, #""\'""#, #""\uD800""#, #""\uDC00""#, #""\uD800\u0041""#, #""\uD800\n""#, #""\uD800\""#,
        #""\uDE00\uD83D""#, "\"a\u{1}b\"", "\"a\tb\"", "\"a\nb\"", "\"\u{1f}\"", "[\"a\"\u{a0}]", "\u{feff}",
        "\u{feff}\u{feff}1", "//", "/* */ 1", "[1] // c", "(1)", "'a'", "[true false]", #"{"a":1 "b":2}"#,
    ]

    /// Every n_ document is rejected.
    @Test(arguments: rejected) func rejectsInvalidDocument(_ text: String) {
        #expect(throws: JSONParseError.self) { try Self.parse(text) }
    }

    /// Invalid UTF-8 is rejected inside strings (overlong, surrogate, truncated, stray continuation) and outside.
    @Test(
        arguments: [
            [0x22, 0xFF, 0x22], [0x22, 0xC3, 0x22], [0x22, 0xC0, 0xAF, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22],
            [0x22, 0x80, 0x22], [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], [0x22, 0xE2, 0x98, 0x22],
            [0x5B, 0xC3, 0xA9, 0x5D],
            [0x22, 0x5C, 0x6E, 0xC3, 0x22], [0x22, 0xC3, 0x5C, 0x75, 0x30, 0x30, 0x41, 0x39, 0x22], [0xEF, 0xBB],
        ] as [[UInt8]])
    func rejectsInvalidUTF8(_ bytes: [UInt8]) {
        #expect(throws: JSONParseError.self) { try JSONValue.parse(bytes) }
    }

    /// Nesting up to 512 levels parses; one more is an error, and hostile depth never overflows the stack.
    @Test func limitsNestingDepth() throws {
        func nested(_ depth: Int, _ open: String, _ close: String) -> [UInt8] {
            Array((String(repeating: open, count: depth) + String(repeating: close, count: depth)).utf8)
        }
        var expected: JSONValue = []
        for _ in 1..<512 { expected = [expected] }
        #expect(try JSONValue.parse(nested(512, "[", "]")) == expected)
        #expect(throws: JSONParseError.self) { try JSONValue.parse(nested(513, "[", "]")) }
        func objects(_ depth: Int) -> [UInt8] {
            Array((String(repeating: #"{"a":"#, count: depth) + "1" + String(repeating: "}", count: depth)).utf8)
        }
        #expect(try JSONValue.parse(objects(512))["a"] != nil)
        #expect(throws: JSONParseError.self) { try JSONValue.parse(objects(513)) }
        let hostile = Array(repeating: UInt8(ascii: "["), count: 200_000)
        #expect(throws: JSONParseError.self) { try JSONValue.parse(hostile) }
    }

    /// The error names the offending byte's offset and what was expected there.
    @Test func reportsOffsetAndReason() {
        func failure(_ text: String) -> JSONParseError? {
            do { _ = try Self.parse(text) } catch { return error }
            return nil
        }
        #expect(failure("[1,]") == JSONParseError(offset: 3, reason: "unexpected ']', expected a value"))
        #expect(failure("{\"a\" 1}") == JSONParseError(offset: 5, reason: "unexpected '1', expected ':'"))
        #expect(failure("[1") == JSONParseError(offset: 2, reason: "unexpected end of input, expected ',' or ']'"))
        #expect(failure("01")?.offset == 1)
        #expect(failure("[1e400]") == JSONParseError(offset: 1, reason: "number out of range"))
        #expect(failure("  \"ab") == JSONParseError(offset: 2, reason: "unterminated string"))
        #expect(failure("[\"a\\uD800\"]")?.offset == 3)
        #expect(failure("[1] x")?.reason == "unexpected data after the JSON value")
        #expect(failure("[1] x")?.description == "unexpected data after the JSON value at byte 4")
    }

    /// `-0` keeps its sign (as `JSONDecoder` does); integers past 2^53 round to nearest, ties to even.
    @Test func convertsNumbersExactly() throws {
        #expect(try Self.parse("-0").doubleValue?.sign == .minus)
        #expect(try Self.parse("[-0.0]").arrayValue?.first?.doubleValue?.sign == .minus)
        #expect(try Self.parse("9007199254740995").doubleValue == 9_007_199_254_740_996)
        #expect(try Self.parse("123456789012345").doubleValue == 123_456_789_012_345)
        #expect(try Self.parse("2.2250738585072011e-308").doubleValue == Double("2.2250738585072011e-308"))
    }

    /// Any byte collection parses: arrays, slices, and non-contiguous collections alike.
    @Test func parsesAnyByteCollection() throws {
        let bytes = Array(#"xx{"a":[1,"é"]}yy"#.utf8)
        let expected: JSONValue = ["a": [1, "é"]]
        #expect(try JSONValue.parse(bytes[2..<(bytes.count - 2)]) == expected)
        #expect(try JSONValue.parse(#"{"a":[1,"é"]}"#.utf8) == expected)
        #expect(try JSONValue.parse(bytes[2..<(bytes.count - 2)].lazy.map { $0 }) == expected)
    }
}
