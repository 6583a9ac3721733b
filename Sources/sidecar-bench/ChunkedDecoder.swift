/// Decodes an HTTP/1.1 `Transfer-Encoding: chunked` body incrementally: feed it what the socket delivered,
/// get back the body bytes that completed, until `finished` (the last chunk and the empty trailer line).
struct ChunkedDecoder {
    private enum State {
        case size
        case data(remaining: Int)
        case dataEnd
        case trailer
    }

    private var state = State.size
    private var pending: [UInt8] = []
    private(set) var finished = false

    mutating func feed(_ bytes: ArraySlice<UInt8>) throws -> [UInt8] {
        pending.append(contentsOf: bytes)
        var body: [UInt8] = []
        var index = 0
        decoding: while !finished {
            switch state {
            case .size:
                guard let end = lineEnd(from: index) else { break decoding }
                let digits = pending[index..<end].prefix { $0 != UInt8(ascii: ";") }
                guard let size = Int(String(decoding: digits, as: UTF8.self).trimmingSpaces, radix: 16), size >= 0
                else { throw BenchError("bad chunk size line") }
                index = end + 2
                state = size == 0 ? .trailer : .data(remaining: size)
            case .data(let remaining):
                let take = min(remaining, pending.count - index)
                guard take > 0 else { break decoding }
                body.append(contentsOf: pending[index..<index + take])
                index += take
                state = remaining == take ? .dataEnd : .data(remaining: remaining - take)
            case .dataEnd:
                guard pending.count - index >= 2 else { break decoding }
                index += 2
                state = .size
            case .trailer:
                guard let end = lineEnd(from: index) else { break decoding }
                finished = end == index
                index = end + 2
            }
        }
        pending.removeFirst(index)
        return body
    }

    /// The index of the next CR LF at or after `start`.
    private func lineEnd(from start: Int) -> Int? {
        var i = start
        while i + 1 < pending.count {
            if pending[i] == 13 && pending[i + 1] == 10 { return i }
            i += 1
        }
        return nil
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
