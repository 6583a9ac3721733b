import Foundation
import SidecarProtocol
import Testing

/// `JSONWriter` escapes what JSON requires and nothing else, and its output parses back to the same value.
@Suite struct JSONWriterTests {
    static func written(_ value: JSONValue) -> String {
        String(decoding: value.encoded(), as: UTF8.self)
    }

    /// Quotes, backslashes and control characters are escaped; `/` and non-ASCII pass through as UTF-8.
    @Test func escapesStrings() {
        #expect(Self.written("a\"b\\c") == #""a\"b\\c""#)
        #expect(Self.written("\n\r\t") == #""\n\r\t""#)
        #expect(Self.written("\u{0}\u{1}\u{8}\u{c}\u{1f}") == #""\u0000\u0001\u0008\u000c\u001f""#)
        #expect(Self.written("a/b é ☃ 😀 \u{7f}") == "\"a/b é ☃ 😀 \u{7f}\"")
    }

    /// Integral numbers have no fraction; others keep their digits; non-finite numbers become null.
    @Test func writesNumbers() {
        #expect(Self.written(.number(512)) == "512")
        #expect(Self.written(.number(-3)) == "-3")
        #expect(Self.written(.number(0.25)) == "0.25")
        #expect(Self.written(.number(.infinity)) == "null")
        #expect(Self.written(.number(.nan)) == "null")
    }

    /// Object keys come out `type`, `id`, then sorted, whatever the dictionary order.
    @Test func ordersKeys() {
        #expect(Self.written(["z": 1, "id": "x", "a": true, "type": "t"]) == #"{"type":"t","id":"x","a":true,"z":1}"#)
        #expect(Self.written(["k": [1, nil, ["b": false]]]) == #"{"k":[1,null,{"b":false}]}"#)
    }

    /// Every string from U+0000 to U+00FF, plus astral characters, survives a write and a parse.
    @Test func roundTripsThroughParser() throws {
        let everyLowScalar = String(String.UnicodeScalarView((0...0xFF).compactMap(Unicode.Scalar.init)))
        let value: JSONValue = ["s": .string(everyLowScalar + "😀\u{2028}"), "n": 1.5, "a": [[:], []]]
        #expect(try JSONValue.parse(value.encoded()) == value)
        let viaFoundation = try JSONSerialization.jsonObject(with: Data(value.encoded())) as? [String: Any]
        #expect(viaFoundation?["s"] as? String == everyLowScalar + "😀\u{2028}")
    }
}
