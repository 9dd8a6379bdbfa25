/// One metric of one evaluation in a card's `model-index` (flattened: one value per metric).
public struct EvalResult: Sendable, Equatable, Codable {
    /// `model-index[].name`.
    public var modelName: String?
    /// `task.type` (e.g. `text-generation`).
    public var taskType: String?
    /// `task.name` (e.g. `Text Generation`).
    public var taskName: String?
    /// `dataset.name` (e.g. `HellaSwag (10-Shot)`).
    public var datasetName: String?
    /// `dataset.type` (e.g. `hellaswag`).
    public var datasetType: String?
    /// `dataset.config`.
    public var datasetConfig: String?
    /// `dataset.split`.
    public var datasetSplit: String?
    /// `metrics[].type` (e.g. `acc_norm`).
    public var metricType: String?
    /// `metrics[].name` (e.g. `normalized accuracy`).
    public var metricName: String?
    /// The value as written in the card.
    public var value: String
    /// The value as a number when it is one.
    public var numericValue: Double?
    /// `metrics[].verified`.
    public var verified: Bool?
    /// `source.name` (e.g. `Open LLM Leaderboard`).
    public var sourceName: String?
    /// `source.url`.
    public var sourceURL: String?

    /// Creates a result from its parts.
    public init(modelName: String? = nil, taskType: String? = nil, taskName: String? = nil, datasetName: String? = nil,
                datasetType: String? = nil, datasetConfig: String? = nil, datasetSplit: String? = nil,
                metricType: String? = nil, metricName: String? = nil, value: String, numericValue: Double? = nil,
                verified: Bool? = nil, sourceName: String? = nil, sourceURL: String? = nil) {
        self.modelName = modelName; self.taskType = taskType; self.taskName = taskName; self.datasetName = datasetName
        self.datasetType = datasetType; self.datasetConfig = datasetConfig; self.datasetSplit = datasetSplit
        self.metricType = metricType; self.metricName = metricName; self.value = value
        self.numericValue = numericValue; self.verified = verified; self.sourceName = sourceName
        self.sourceURL = sourceURL
    }
}

/// Decodes the `model-index` list into flat `EvalResult`s, skipping malformed entries.
struct ModelIndexDecoder {
    private(set) var results: [EvalResult] = []

    init(from container: KeyedDecodingContainer<CardCodingKey>, key: CardCodingKey) {
        guard var models = try? container.nestedUnkeyedContainer(forKey: key) else { return }
        while !models.isAtEnd, results.count < CardLimits.maxListElements {
            guard let model = try? models.nestedContainer(keyedBy: CardCodingKey.self) else {
                if (try? models.decode(SkippedValue.self)) == nil { return }
                continue
            }
            let modelName = model.lenient(String.self, CardCodingKey("name"))
            guard var entries = try? model.nestedUnkeyedContainer(forKey: CardCodingKey("results")) else { continue }
            while !entries.isAtEnd, results.count < CardLimits.maxListElements {
                guard let entry = try? entries.nestedContainer(keyedBy: CardCodingKey.self) else {
                    if (try? entries.decode(SkippedValue.self)) == nil { break }
                    continue
                }
                appendEntry(entry, modelName: modelName)
            }
        }
    }

    private mutating func appendEntry(_ entry: KeyedDecodingContainer<CardCodingKey>, modelName: String?) {
        let task = try? entry.nestedContainer(keyedBy: CardCodingKey.self, forKey: CardCodingKey("task"))
        let dataset = try? entry.nestedContainer(keyedBy: CardCodingKey.self, forKey: CardCodingKey("dataset"))
        let source = try? entry.nestedContainer(keyedBy: CardCodingKey.self, forKey: CardCodingKey("source"))
        guard var metrics = try? entry.nestedUnkeyedContainer(forKey: CardCodingKey("metrics")) else { return }
        while !metrics.isAtEnd, results.count < CardLimits.maxListElements {
            guard let metric = try? metrics.nestedContainer(keyedBy: CardCodingKey.self) else {
                if (try? metrics.decode(SkippedValue.self)) == nil { return }
                continue
            }
            let valueKey = CardCodingKey("value")
            let number = metric.lenient(Double.self, valueKey)
            // Keep the value's text as written (typed String decoding does not apply YAML 1.1 coercions).
            guard let text = metric.lenient(String.self, valueKey) ?? number.map({ String($0) }) else { continue }
            results.append(EvalResult(
                modelName: modelName,
                taskType: task?.lenient(String.self, CardCodingKey("type")),
                taskName: task?.lenient(String.self, CardCodingKey("name")),
                datasetName: dataset?.lenient(String.self, CardCodingKey("name")),
                datasetType: dataset?.lenient(String.self, CardCodingKey("type")),
                datasetConfig: dataset?.lenient(String.self, CardCodingKey("config")),
                datasetSplit: dataset?.lenient(String.self, CardCodingKey("split")),
                metricType: metric.lenient(String.self, CardCodingKey("type")),
                metricName: metric.lenient(String.self, CardCodingKey("name")),
                value: text,
                numericValue: number ?? Double(text),
                verified: metric.lenient(Bool.self, CardCodingKey("verified")),
                sourceName: source?.lenient(String.self, CardCodingKey("name")),
                sourceURL: source?.lenient(String.self, CardCodingKey("url"))))
        }
    }
}
