/// A scenario could not run or its answers were wrong; the message says which and why.
struct BenchError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}
