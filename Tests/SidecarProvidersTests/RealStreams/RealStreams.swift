import Foundation
import SidecarProtocol
import SidecarTestSupport
import Testing

/// Real upstream answers recorded by other projects, in `shared/real_streams/` beside the repository: never
/// copied into it. `index.json` lists each transcript (`aNN_*.sse` Anthropic, `oNN_*.sse` OpenAI and
/// compatibles) and what it holds; `reference.json` what the official anthropic and openai Python SDKs
/// accumulate from each.
enum RealStreams {
    /// `../shared/real_streams` from the package root: where a development checkout and CI both keep it.
    static let directory = ProtoSpec.repositoryRoot.deletingLastPathComponent()
        .appendingPathComponent("shared/real_streams").standardized

    static var isPresent: Bool {
        FileManager.default.fileExists(atPath: directory.appendingPathComponent("index.json").path)
    }

    /// Says where the transcripts were looked for, for a skipped test.
    static var absence: Comment {
        "no recorded transcripts at \(directory.path) (they are kept beside the repository, never in it)"
    }

    /// The transcripts `index.json` lists; none when the directory is absent.
    static func transcripts() throws -> [Transcript] {
        guard isPresent else { return [] }
        let entries = try #require(try json("index.json")["transcripts"]?.arrayValue)
        return try entries.map { entry in
            try Transcript(
                name: #require(entry["name"]?.stringValue), file: #require(entry["file"]?.stringValue),
                vendor: #require(entry["vendor"]?.stringValue.flatMap(Kind.init(rawValue:))))
        }
    }

    /// What the vendor's SDK accumulated from `transcript`.
    static func reference(of transcript: Transcript) throws -> JSONValue {
        try #require(try json("reference.json")["transcripts"]?[transcript.name])
    }

    static func bytes(of transcript: Transcript) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent(transcript.file)))
    }

    private static func json(_ file: String) throws -> JSONValue {
        try JSONValue.parse(Array(try Data(contentsOf: directory.appendingPathComponent(file))))
    }
}

/// One recorded answer.
struct Transcript: Sendable, CustomTestStringConvertible {
    let name: String
    let file: String
    let vendor: Kind

    var testDescription: String { name }
}
