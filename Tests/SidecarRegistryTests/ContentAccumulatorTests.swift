import SidecarProtocol
import Testing

@testable import SidecarRegistry

@Suite struct ContentAccumulatorTests {
    /// 64k text deltas, a tool call whose arguments come in 64k fragments, then more text: each run of text
    /// is one block holding every delta in order, and the arguments are parsed once at the end.
    @Test func manyDeltasAssembleInOrder() throws {
        var accumulator = ContentAccumulator()
        let count = 65_536
        for i in 0..<count { accumulator.add(.text("\(i % 10)")) }
        accumulator.add(.toolUse(index: 1, toolUseID: "t1", name: "echo"))
        accumulator.add(.toolInput(index: 1, partialJSON: #"{"digits":""#))
        for i in 0..<count { accumulator.add(.toolInput(index: 1, partialJSON: "\(i % 10)")) }
        accumulator.add(.toolInput(index: 1, partialJSON: #""}"#))
        accumulator.add(.text("after"))

        let digits = String((0..<count).map { Character("\($0 % 10)") })
        let content = accumulator.content
        #expect(content.count == 3)
        #expect(content.first == .text(digits))
        #expect(content.dropFirst().first == .toolUse(id: "t1", name: "echo", input: ["digits": .string(digits)]))
        #expect(content.last == .text("after"))
    }
}

@Suite struct ContentAccumulatorToolCallTests {
    func content(_ fragments: [String]) -> [ContentBlock] {
        var accumulator = ContentAccumulator()
        accumulator.add(.toolUse(index: 0, toolUseID: "t1", name: "f"))
        for fragment in fragments { accumulator.add(.toolInput(index: 0, partialJSON: fragment)) }
        return accumulator.content
    }

    /// Arguments cut off mid-object keep their raw text and are marked incomplete, never `{}`.
    @Test func cutArgumentsAreIncomplete() {
        #expect(
            content([#"{"a": "#, #"[1, 2"#]) == [.incompleteToolUse(id: "t1", name: "f", partialJSON: #"{"a": [1, 2"#)])
    }

    /// Valid JSON that is not an object is not a tool's arguments either.
    @Test func nonObjectArgumentsAreIncomplete() {
        #expect(content(["[1]"]) == [.incompleteToolUse(id: "t1", name: "f", partialJSON: "[1]")])
    }

    /// A tool without arguments streams no text: `{}`, complete, as before.
    @Test func emptyArgumentsAreAnEmptyObject() {
        #expect(content([]) == [.toolUse(id: "t1", name: "f", input: [:])])
        #expect(content([""]) == [.toolUse(id: "t1", name: "f", input: [:])])
    }

    /// On the wire an incomplete call has `input: null`, `partial_json` and `incomplete: true`; a complete
    /// one has neither new field.
    @Test func wireShape() {
        let incomplete = ContentBlock.incompleteToolUse(id: "t1", name: "f", partialJSON: #"{"a""#)
        #expect(
            incomplete.json == [
                "type": "tool_use", "id": "t1", "name": "f", "input": .null, "partial_json": #"{"a""#,
                "incomplete": true,
            ])
        let complete = content([#"{"a":1}"#])
        #expect(complete == [.toolUse(id: "t1", name: "f", input: ["a": 1])])
        #expect(complete.first?.json["incomplete"] == nil && complete.first?.json["partial_json"] == nil)
    }
}

@Suite struct ContentAccumulatorThinkingTests {
    /// Thinking deltas join until a signature closes the block; a signature with no open block is a block
    /// without text; redacted thinking is one block; text after thinking is a block of its own.
    @Test func thinkingBlocksAssemble() {
        var accumulator = ContentAccumulator()
        let deltas: [Delta] = [
            .thinking("a"), .thinking("b"), .signature("s1"), .signature("s2"), .redactedThinking(data: "X"),
            .thinking("c"), .text("answer"), .thinking("unsigned"),
        ]
        for delta in deltas { accumulator.add(delta) }
        #expect(
            accumulator.content == [
                .thinking(text: "ab", signature: "s1"), .thinking(text: "", signature: "s2"),
                .redactedThinking(data: "X"), .thinking(text: "c", signature: nil), .text("answer"),
                .thinking(text: "unsigned", signature: nil),
            ])
    }
}
