/// What a gated repository asks before granting access (`extra_gated_*` front matter keys).
public struct GatingInfo: Sendable, Equatable, Codable {
    /// `extra_gated_prompt` (often the licence text, Markdown).
    public var prompt: String?
    /// `extra_gated_heading`.
    public var heading: String?
    /// `extra_gated_description`.
    public var description: String?
    /// `extra_gated_button_content`.
    public var buttonContent: String?
    /// `extra_gated_fields`: the form the user fills in, in card order.
    public var fields: [GatingField]
    /// `extra_gated_eu_disallowed`: access refused to EU-located users.
    public var euDisallowed: Bool?

    /// Creates gating information from its parts.
    public init(prompt: String? = nil, heading: String? = nil, description: String? = nil, buttonContent: String? = nil,
                fields: [GatingField] = [], euDisallowed: Bool? = nil) {
        self.prompt = prompt; self.heading = heading; self.description = description
        self.buttonContent = buttonContent; self.fields = fields; self.euDisallowed = euDisallowed
    }

    /// True when the card states none of the gating keys.
    public var isEmpty: Bool {
        prompt == nil && heading == nil && description == nil && buttonContent == nil && fields.isEmpty && euDisallowed == nil
    }
}

/// One field of a gating form (`label: type`, or `label: {type: select, options: […]}`).
public struct GatingField: Sendable, Equatable, Codable {
    /// The label shown to the user.
    public var label: String
    /// `text`, `checkbox`, `date_picker`, `country`, `ip_location` or `select`.
    public var type: String
    /// Choices of a `select` field (labels).
    public var options: [String]

    /// Creates a field.
    public init(label: String, type: String, options: [String] = []) {
        self.label = label; self.type = type; self.options = options
    }
}

extension GatingInfo {
    /// Reads the `extra_gated_*` keys of a front matter mapping.
    init(from c: KeyedDecodingContainer<CardCodingKey>) {
        self.init(prompt: c.lenient(String.self, CardCodingKey("extra_gated_prompt")),
                  heading: c.lenient(String.self, CardCodingKey("extra_gated_heading")),
                  description: c.lenient(String.self, CardCodingKey("extra_gated_description")),
                  buttonContent: c.lenient(String.self, CardCodingKey("extra_gated_button_content")),
                  fields: Self.fields(from: c),
                  euDisallowed: c.lenient(Bool.self, CardCodingKey("extra_gated_eu_disallowed")))
    }

    private static func fields(from c: KeyedDecodingContainer<CardCodingKey>) -> [GatingField] {
        guard let map = try? c.nestedContainer(keyedBy: CardCodingKey.self, forKey: CardCodingKey("extra_gated_fields")) else {
            return []
        }
        var out: [GatingField] = []
        for key in map.allKeys.prefix(CardLimits.maxListElements) {
            if let type = map.lenient(String.self, key) {
                out.append(GatingField(label: key.stringValue, type: type))
            } else if let spec = try? map.nestedContainer(keyedBy: CardCodingKey.self, forKey: key) {
                let type = spec.lenient(String.self, CardCodingKey("type")) ?? "unknown"
                out.append(GatingField(label: key.stringValue, type: type, options: options(in: spec)))
            }
        }
        return out
    }

    /// Options are plain strings or `{label, value}` maps.
    private static func options(in spec: KeyedDecodingContainer<CardCodingKey>) -> [String] {
        guard var list = try? spec.nestedUnkeyedContainer(forKey: CardCodingKey("options")) else { return [] }
        var out: [String] = []
        while !list.isAtEnd, out.count < CardLimits.maxListElements {
            if let s = try? list.decode(String.self) {
                out.append(s)
            } else if let m = try? list.nestedContainer(keyedBy: CardCodingKey.self) {
                if let label = m.lenient(String.self, CardCodingKey("label")) ?? m.lenient(String.self, CardCodingKey("value")) {
                    out.append(label)
                }
            } else if (try? list.decode(SkippedValue.self)) == nil {
                break
            }
        }
        return out
    }
}
