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
