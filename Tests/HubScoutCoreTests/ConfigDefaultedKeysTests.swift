import Foundation
import Testing
@testable import HubScoutCore

@Suite("Config values filled from family defaults are listed")
struct ConfigDefaultedKeysTests {
    @Test("a Llama config without intermediate_size says it was defaulted")
    func missingFFN() throws {
        let json = #"{"model_type":"llama","hidden_size":2048,"num_hidden_layers":22,"num_attention_heads":32,"vocab_size":32000}"#
        let config = try ModelConfig(jsonData: Data(json.utf8))
        #expect(config.defaultedKeys?.contains("intermediate_size") == true)
        #expect(config.defaultedKeys?.contains("hidden_size") != true)
    }

    @Test("a complete config has no defaulted keys")
    func complete() throws {
        let json = #"""
        {"model_type":"llama","hidden_size":2048,"num_hidden_layers":22,"num_attention_heads":32,"num_key_value_heads":4,
         "intermediate_size":5632,"vocab_size":32000,"max_position_embeddings":2048}
        """#
        let config = try ModelConfig(jsonData: Data(json.utf8))
        #expect(config.defaultedKeys == nil)
        #expect(config.intermediateSize == 5632)
    }
}
