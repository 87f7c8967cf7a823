import Foundation
import Yams

/// Writes a YAML node tree (as Yams composes it) as indented JSON (RFC 8259), keys in the YAML's
/// order: the layout of Python's `json.dumps(indent=2, ensure_ascii=False)`, which produced the
/// document before it moved to YAML. Only JSON's data model is accepted: mappings with string
/// keys, sequences, and scalars that resolve to null, booleans, integers, floats or strings.
struct PrettyJSONWriter {
    enum Failure: Error, CustomStringConvertible {
        case nonStringKey(Mark?)
        case unsupported(tag: String, Mark?)
        case alias(Mark?)

        var description: String {
            switch self {
            case .nonStringKey(let mark): "a mapping key is not a string at \(mark.map(String.init(describing:)) ?? "?")"
            case .unsupported(let tag, let mark): "\(tag) has no JSON form (at \(mark.map(String.init(describing:)) ?? "?"))"
            case .alias(let mark): "aliases are not used in the contract (at \(mark.map(String.init(describing:)) ?? "?"))"
            }
        }
    }

    private(set) var bytes: [UInt8] = []
    private let stringEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }()

    mutating func write(_ node: Node, depth: Int = 0) throws {
        switch node {
        case .mapping(let mapping):
            guard !mapping.isEmpty else { return append("{}") }
            append("{")
            for (index, (key, value)) in mapping.enumerated() {
                guard case .scalar(let name) = key, key.tag == Tag(.str) else { throw Failure.nonStringKey(key.mark) }
                append(index == 0 ? "\n" : ",\n")
                indent(depth + 1)
                try string(name.string)
                append(": ")
                try write(value, depth: depth + 1)
            }
            append("\n")
            indent(depth)
            append("}")
        case .sequence(let sequence):
            guard !sequence.isEmpty else { return append("[]") }
            append("[")
            for (index, element) in sequence.enumerated() {
                append(index == 0 ? "\n" : ",\n")
                indent(depth + 1)
                try write(element, depth: depth + 1)
            }
            append("\n")
            indent(depth)
            append("]")
        case .scalar(let scalar):
            try write(scalar, tag: node.tag, mark: node.mark)
        case .alias:
            throw Failure.alias(node.mark)
        }
    }

    private mutating func write(_ scalar: Node.Scalar, tag: Tag, mark: Mark?) throws {
        switch tag {
        case Tag(.str): try string(scalar.string)
        case Tag(.null): append("null")
        case Tag(.bool):
            guard let value = Bool.construct(from: scalar) else { throw Failure.unsupported(tag: "\(tag)", mark) }
            append(value ? "true" : "false")
        case Tag(.int):
            guard let value = Int.construct(from: scalar) else { throw Failure.unsupported(tag: "\(tag)", mark) }
            append(String(value))
        case Tag(.float):
            guard let value = Double.construct(from: scalar), value.isFinite else {
                throw Failure.unsupported(tag: "\(tag)", mark)
            }
            append(String(value))
        default:
            throw Failure.unsupported(tag: "\(tag)", mark)
        }
    }

    private mutating func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    private mutating func indent(_ depth: Int) {
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * depth))
    }

    /// Strings as Foundation's encoder writes them (RFC 8259 §7; `/` left unescaped, non-ASCII as
    /// UTF-8): the document is converted once, so its speed does not matter.
    private mutating func string(_ value: String) throws {
        bytes.append(contentsOf: try stringEncoder.encode(value))
    }

}
