import Foundation
import SidecarSimGrammar

/// A tool a completion request offers, as much of it as `sim-tools` needs to call it.
struct OfferedTool {
    var name: String
    /// The JSON-schema `type` of each top-level property of the tool's input (nil when it has none).
    var propertyTypes: [String: String?]

    /// An Anthropic tool (`name`, `input_schema`) or an OpenAI one (`function: {name, parameters}`).
    init?(json tool: [String: Any]) {
        let definition = tool["function"] as? [String: Any] ?? tool
        guard let name = definition["name"] as? String else { return nil }
        self.name = name
        let schema = (definition["input_schema"] ?? definition["parameters"]) as? [String: Any]
        let properties = schema?["properties"] as? [String: Any] ?? [:]
        propertyTypes = properties.mapValues { ($0 as? [String: Any])?["type"] as? String }
    }

    /// The call `sim-tools` makes to this tool: an argument per property (`SimToolArgument`).
    func call(userText: String) -> ToolCall {
        let arguments = propertyTypes.mapValues { type -> Any in
            switch SimToolArgument(schemaType: type) {
            case .userText: userText
            case .one: 1
            case .yes: true
            case .emptyArray: [Any]()
            case .emptyObject: [String: Any]()
            case .null: NSNull()
            }
        }
        let data = (try? JSONSerialization.data(withJSONObject: arguments, options: [.sortedKeys])) ?? Data("{}".utf8)
        return ToolCall(name: name, inputJSON: String(decoding: data, as: UTF8.self))
    }
}
