extension ArraySlice where Element == UInt8 {
    /// Whether `needle` occurs in these bytes.
    func contains(bytes needle: [UInt8]) -> Bool {
        guard count >= needle.count, let first = needle.first else { return false }
        var i = startIndex
        while i + needle.count <= endIndex {
            if self[i] == first, self[i..<i + needle.count].elementsEqual(needle) { return true }
            i += 1
        }
        return false
    }
}
