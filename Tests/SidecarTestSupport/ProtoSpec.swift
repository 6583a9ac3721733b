import Foundation
import SidecarProtocol

/// Finds and loads the files of `proto-spec/` (vectors, schemas) for tests.
///
/// The repository root is derived from this file's `#filePath`, so tests work from any working directory
/// and need no resource bundle. Paths are relative to `proto-spec/`, e.g. `vectors/framing/framed.json`.
public enum ProtoSpec {
    /// The repository root (the directory holding `Package.swift`).
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // SidecarTestSupport
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    public static let directory: URL = repositoryRoot.appendingPathComponent("proto-spec")

    public static func url(_ relativePath: String) -> URL {
        directory.appendingPathComponent(relativePath)
    }

    public static func bytes(_ relativePath: String) throws -> [UInt8] {
        do {
            return Array(try Data(contentsOf: url(relativePath)))
        } catch {
            throw ProtoSpecError("cannot read proto-spec/\(relativePath): \(error)")
        }
    }

    /// One JSON document.
    public static func json(_ relativePath: String) throws -> JSONValue {
        do {
            return try JSONValue.parse(try bytes(relativePath))
        } catch let error as ProtoSpecError {
            throw error
        } catch {
            throw ProtoSpecError("proto-spec/\(relativePath) is not valid JSON")
        }
    }

    /// The `vectors` array of a vector file.
    public static func vectors(_ relativePath: String) throws -> [JSONValue] {
        guard let vectors = try json(relativePath)["vectors"]?.arrayValue else {
            throw ProtoSpecError("proto-spec/\(relativePath) has no \"vectors\" array")
        }
        return vectors
    }

    /// Every non-empty line of a JSON Lines file, parsed.
    public static func jsonLines(_ relativePath: String) throws -> [JSONValue] {
        let lines = try bytes(relativePath).split(separator: UInt8(ascii: "\n"))
        var values: [JSONValue] = []
        for (number, line) in lines.enumerated() {
            do {
                values.append(try JSONValue.parse(line))
            } catch {
                throw ProtoSpecError("proto-spec/\(relativePath):\(number + 1) is not valid JSON")
            }
        }
        return values
    }

    /// Relative paths of the files in `folder` whose name ends with `.suffix`, sorted.
    public static func files(in folder: String, suffix: String) throws -> [String] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: url(folder).path)
        } catch {
            throw ProtoSpecError("cannot list proto-spec/\(folder): \(error)")
        }
        return names.filter { $0.hasSuffix(".\(suffix)") }.sorted().map { "\(folder)/\($0)" }
    }

    /// Decodes a lowercase or uppercase hex string without separators.
    public static func hex(_ text: String) throws -> [UInt8] {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { throw ProtoSpecError("odd-length hex string") }
        var out: [UInt8] = []
        out.reserveCapacity(digits.count / 2)
        var i = 0
        while i < digits.count {
            guard let high = nibble(digits[i]), let low = nibble(digits[i + 1]) else {
                throw ProtoSpecError("not a hex string: \(text.prefix(40))")
            }
            out.append(high << 4 | low)
            i += 2
        }
        return out
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

/// A proto-spec file is missing or malformed.
public struct ProtoSpecError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
