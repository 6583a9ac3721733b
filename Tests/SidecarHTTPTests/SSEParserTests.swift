import SidecarHTTP
import Testing

/// Feeds `text` as UTF-8 in pieces of `pieceSize` bytes, then finishes the stream.
func parse(_ bytes: [UInt8], pieceSize: Int = .max, maxLineLength: Int = SSEParser.defaultMaxLineLength) throws
    -> [SSEEvent]
{
    var parser = SSEParser(maxLineLength: maxLineLength)
    var events: [SSEEvent] = []
    var start = 0
    while start < bytes.count {
        let end = min(bytes.count, start + min(pieceSize, bytes.count - start))
        events += try parser.feed(bytes[start..<end])
        start = end
    }
    return events + (try parser.finish())
}

func parse(_ text: String, pieceSize: Int = .max) throws -> [SSEEvent] {
    try parse(Array(text.utf8), pieceSize: pieceSize)
}

@Suite struct SSEParserTests {
    /// A typed event with one data line is dispatched at the blank line.
    @Test func dispatchesTypedEventAtBlankLine() throws {
        var parser = SSEParser()
        #expect(try parser.feed(Array("event: ping\ndata: {}\n".utf8)) == [])
        #expect(try parser.feed(Array("\n".utf8)) == [SSEEvent(event: "ping", data: "{}")])
    }

    /// Several data lines join with a newline; an event without `event:` is a "message".
    @Test func joinsDataLinesWithNewline() throws {
        #expect(try parse("data: one\ndata: two\ndata:\n\n") == [SSEEvent(data: "one\ntwo\n")])
    }

    /// LF, CRLF and CR all end lines, including a mix in one stream.
    @Test(arguments: ["\n", "\r\n", "\r"])
    func acceptsEveryLineEnding(ending: String) throws {
        let text = "event: a\(ending)data: x\(ending)data: y\(ending)\(ending)data: z\(ending)\(ending)"
        let expected = [SSEEvent(event: "a", data: "x\ny"), SSEEvent(data: "z")]
        #expect(try parse(text) == expected)
        #expect(try parse(text, pieceSize: 1) == expected)
        #expect(try parse("data: x\r\ndata: y\rdata: z\n\r\n") == [SSEEvent(data: "x\ny\nz")])
    }

    /// A CR ending one piece and an LF starting the next are one line ending, not two.
    @Test func crAndLfSplitAcrossFeedsAreOneLineEnding() throws {
        var parser = SSEParser()
        #expect(try parser.feed(Array("data: a\r".utf8)) == [])
        #expect(try parser.feed([]) == [])
        #expect(try parser.feed(Array("\ndata: b\r".utf8)) == [])
        #expect(try parser.feed(Array("\n\r".utf8)) == [SSEEvent(data: "a\nb")])
        #expect(try parser.feed(Array("\ndata: c\r\r".utf8)) == [SSEEvent(data: "c")])
    }

    /// A UTF-8 BOM at the very start is skipped, even split across pieces; a later one is not.
    @Test func skipsOnlyTheLeadingByteOrderMark() throws {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let bytes = bom + Array("data: a\n\n".utf8) + bom + Array("data: b\n\n".utf8)
        // The second BOM makes "\u{FEFF}data" an unknown field, which is ignored.
        #expect(try parse(bytes) == [SSEEvent(data: "a")])
        #expect(try parse(bytes, pieceSize: 1) == [SSEEvent(data: "a")])
        #expect(try parse(bytes, pieceSize: 2) == [SSEEvent(data: "a")])
    }

    /// Multi-byte characters split between pieces decode intact.
    @Test func decodesUTF8SplitInsideCharacters() throws {
        let text = "data: héllo 日本語 🎉 ok\n\n"
        for size in 1...5 {
            #expect(try parse(text, pieceSize: size) == [SSEEvent(data: "héllo 日本語 🎉 ok")])
        }
    }

    /// Invalid UTF-8 becomes U+FFFD instead of failing or dropping the line.
    @Test func replacesInvalidUTF8() throws {
        #expect(try parse(Array("data: a".utf8) + [0xFF] + Array("b\n\n".utf8)) == [SSEEvent(data: "a\u{FFFD}b")])
    }

    /// Comment lines are ignored wherever they appear and never dispatch an event.
    @Test func ignoresComments() throws {
        let text = ": keep-alive\n:\ndata: a\n: inside\ndata: b\n\n: trailing\n\n"
        #expect(try parse(text) == [SSEEvent(data: "a\nb")])
    }

    /// Field parsing: one leading space is removed, a line without a colon is a field with an empty value,
    /// unknown fields are ignored.
    @Test func parsesFieldsPerSpec() throws {
        #expect(try parse("data:x\n\n") == [SSEEvent(data: "x")])
        #expect(try parse("data:  x\n\n") == [SSEEvent(data: " x")])
        #expect(try parse("data\n\n") == [SSEEvent(data: "")])
        #expect(try parse("foo: bar\ndata: a: b\n\n") == [SSEEvent(data: "a: b")])
        #expect(try parse("Data: a\n\n") == [])
    }

    /// Blank lines without data dispatch nothing and reset the event type.
    @Test func blankLinesWithoutDataDispatchNothing() throws {
        #expect(try parse("\n\n\nevent: a\n\ndata: b\n\n") == [SSEEvent(data: "b")])
    }

    /// `id` persists across events and ignores values with NUL; `retry` takes ASCII digits only and is
    /// reported on the next dispatched event.
    @Test func tracksIdAndRetry() throws {
        let text =
            "id: 1\ndata: a\n\ndata: b\n\nid: x\u{0}y\nretry: 1500\ndata: c\n\n"
            + "retry: 12a\nretry: -1\ndata: d\n\nid\ndata: e\n\n"
        #expect(
            try parse(text) == [
                SSEEvent(data: "a", id: "1"), SSEEvent(data: "b", id: "1"), SSEEvent(data: "c", id: "1", retry: 1500),
                SSEEvent(data: "d", id: "1"), SSEEvent(data: "e", id: ""),
            ])
        #expect(try parse("retry: 300\n\ndata: a\n\n") == [SSEEvent(data: "a", retry: 300)])
    }

    /// At end of stream a pending event with data is dispatched (our documented choice, as LLM upstreams
    /// sometimes omit the final blank line), including an unterminated last line; one without data is not.
    @Test func finishDispatchesPendingEventWithData() throws {
        #expect(try parse("data: a\n\ndata: b\n") == [SSEEvent(data: "a"), SSEEvent(data: "b")])
        #expect(try parse("event: e\ndata: [DONE]") == [SSEEvent(event: "e", data: "[DONE]")])
        #expect(try parse("data: a\n\nevent: only-a-type\n") == [SSEEvent(data: "a")])
        #expect(try parse("data: a\r") == [SSEEvent(data: "a")])
    }

    /// A line longer than the cap throws a typed error, whether it arrives at once or piece by piece;
    /// a line at the cap is accepted.
    @Test func rejectsLinesLongerThanTheCap() throws {
        let exact = Array("data: 0123456789".utf8)  // 16 bytes
        #expect(try parse(exact + [0x0A, 0x0A], maxLineLength: 16) == [SSEEvent(data: "0123456789")])
        for size in [1, 3, 100] {
            #expect(throws: SSEParserError.lineTooLong(limit: 16)) {
                try parse(exact + Array("x\n\n".utf8), pieceSize: size, maxLineLength: 16)
            }
        }
    }

    /// An event's data lines may add up to the cap (one line break each) and no further, even when no blank
    /// line ever comes; the count starts again with the next event.
    @Test func rejectsEventsLargerThanTheCap() throws {
        let lines = Array("data: 0123\ndata: 4567\n".utf8)  // 10 bytes of data with the line breaks
        var parser = SSEParser(maxEventDataLength: 10)
        #expect(
            try parser.feed(lines + [0x0A] + lines + [0x0A]) == [
                SSEEvent(data: "0123\n4567"), SSEEvent(data: "0123\n4567"),
            ])
        for size in [1, 3, 100] {
            #expect(throws: SSEParserError.eventTooLarge(limit: 10)) {
                var parser = SSEParser(maxEventDataLength: 10)
                let bytes = lines + Array("data: 8\n".utf8)
                var start = 0
                while start < bytes.count {
                    _ = try parser.feed(bytes[start..<min(bytes.count, start + size)])
                    start += size
                }
            }
        }
        var unterminated = SSEParser(maxEventDataLength: 10)
        _ = try unterminated.feed(lines + Array("data: 8".utf8))
        #expect(throws: SSEParserError.eventTooLarge(limit: 10)) { try unterminated.finish() }
    }

    /// A realistic Anthropic stream parses identically at every piece size.
    @Test func anthropicStreamIsIndependentOfPieceSize() throws {
        let text = """
            event: message_start\r
            data: {"type":"message_start","message":{"usage":{"input_tokens":12}}}\r
            \r
            event: ping\r
            data: {"type": "ping"}\r
            \r
            event: content_block_delta\r
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Grüß dich 👋"}}\r
            \r
            event: message_stop\r
            data: {"type":"message_stop"}\r
            \r

            """
        let whole = try parse(text)
        #expect(whole.map(\.event) == ["message_start", "ping", "content_block_delta", "message_stop"])
        #expect(whole[2].data.contains("Grüß dich 👋"))
        for size in 1...9 {
            #expect(try parse(text, pieceSize: size) == whole)
        }
    }
}
