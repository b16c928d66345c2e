import FPFormats
import FPGraph
import Foundation
import XCTest
import _TestSupport

/// Each binding rule and each binding error, on the pytree fixtures.
final class CheckpointBindingTests: XCTestCase {
    func checkpoint(_ name: String) throws -> Checkpoint {
        try Checkpoint.read(path: fixtureURL("checkpoints/\(name)").path)
    }

    /// The parameters of a flax `apply(variables, x)` as JAX/XLA name them in an HLO dump.
    func flaxParameters(root: String = "variables") -> [GraphParameter] {
        let leaves: [(String, String, [Int])] = [
            ("Dense_0", "bias", [4]), ("Dense_0", "kernel", [5, 4]), ("LayerNorm_0", "bias", [4]),
            ("LayerNorm_0", "scale", [4]), ("head", "bias", [2]), ("head", "kernel", [4, 2]),
        ]
        var parameters = leaves.enumerated().map { i, leaf in
            GraphParameter(
                name: "\(root)__params____\(leaf.0)____\(leaf.1)__.1", index: i, type: ArrayType(.f32, leaf.2),
                aliases: ["\(root)['params']['\(leaf.0)']['\(leaf.1)']"])
        }
        parameters.append(GraphParameter(name: "x.1", index: 6, type: ArrayType(.f32, [3, 5]), aliases: ["x"]))
        return parameters
    }

    func testEveryWeightByPathNoMapping() throws {
        for file in ["pytree.safetensors", "pytree.npz"] {
            let binding = try CheckpointBinding.bind([try checkpoint(file)], to: flaxParameters())
            XCTAssertEqual(binding.bound.count, 6, file)
            XCTAssertEqual(binding.unboundParameters, ["x.1"], file)
            XCTAssert(binding.unusedTensors.isEmpty, file)
            XCTAssert(binding.bound.allSatisfy { $0.rule == "suffix" }, file)
            let kernel = try XCTUnwrap(binding.bound.first { $0.parameter.contains("Dense_0____kernel") })
            XCTAssertEqual(kernel.tensor, file.hasSuffix(".npz") ? "params/Dense_0/kernel" : "params.Dense_0.kernel")
            XCTAssertEqual(kernel.value.shape, [5, 4])
            XCTAssertEqual(kernel.value, try checkpoint(file).tensor(named: kernel.tensor))
        }
    }

    func testExactWinsOverSuffix() throws {
        // With `apply({"params": p}, x)` the path is params/...: exact for these tensors.
        let binding = try CheckpointBinding.bind([try checkpoint("pytree.safetensors")], to: flaxParameters(root: "p"))
        XCTAssertEqual(binding.bound.count, 6)
        let direct = flaxParameters().map {
            GraphParameter(
                name: $0.name, index: $0.index, type: $0.type,
                aliases: $0.aliases.map { $0.replacingOccurrences(of: "variables['params']", with: "params") })
        }
        let exact = try CheckpointBinding.bind([try checkpoint("pytree.safetensors")], to: direct)
        XCTAssert(exact.bound.allSatisfy { $0.rule == "exact" })
    }

    func testSanitisedNamesWithoutMetadata() throws {
        let bare = flaxParameters().map { GraphParameter(name: $0.name, index: $0.index, type: $0.type) }
        let binding = try CheckpointBinding.bind([try checkpoint("pytree.safetensors")], to: bare)
        XCTAssertEqual(binding.bound.count, 6)
    }

    func testPrefixStripping() throws {
        // Arguments named by their leaf path, without the `params` root.
        let parameters = [
            GraphParameter(name: "Dense_0/kernel", index: 0, type: ArrayType(.f32, [5, 4])),
            GraphParameter(name: "head/kernel", index: 1, type: ArrayType(.f32, [4, 2])),
        ]
        let options = CheckpointBindingOptions(prefixes: [TensorPath("params")])
        let binding = try CheckpointBinding.bind(
            [try checkpoint("pytree.safetensors")], to: parameters, options: options)
        XCTAssertEqual(binding.bound.map(\.rule), ["exact", "exact"])
        XCTAssertEqual(binding.unusedTensors.count, 4)
    }

    func testAmbiguousParameterAndTensorMatchedTwice() throws {
        let ambiguous = [GraphParameter(name: "kernel", index: 0, type: ArrayType(.f32, [5, 4]))]
        let error = thrownError {
            _ = try CheckpointBinding.bind([try self.checkpoint("pytree.safetensors")], to: ambiguous)
        }
        guard case .ambiguousParameter(let parameter, let tensors)? = error as? CheckpointError else {
            return XCTFail("\(String(describing: error))")
        }
        XCTAssertEqual(parameter, "kernel")
        XCTAssertEqual(Set(tensors), ["params.Dense_0.kernel", "params.head.kernel"])
        XCTAssert("\(error!)".contains("--params-map"))

        let twice = [
            GraphParameter(name: "a", index: 0, type: ArrayType(.f32, [4]), aliases: ["Dense_0.bias"]),
            GraphParameter(name: "b", index: 1, type: ArrayType(.f32, [4]), aliases: ["params/Dense_0/bias"]),
        ]
        let error2 = thrownError {
            _ = try CheckpointBinding.bind([try self.checkpoint("pytree.safetensors")], to: twice)
        }
        XCTAssertEqual(
            error2 as? CheckpointError, .tensorMatchedTwice(tensor: "params.Dense_0.bias", parameters: ["a", "b"]))
    }

    func testMappingWinsAndNullKeepsSampling() throws {
        let ambiguous = [
            GraphParameter(name: "kernel", index: 0, type: ArrayType(.f32, [5, 4])),
            GraphParameter(name: "bias", index: 1, type: ArrayType(.f32, [4])),
        ]
        let mapping = try CheckpointBindingOptions.readMapping(
            Data(#"{"kernel": "params.Dense_0.kernel", "bias": null}"#.utf8), file: "map.json")
        let binding = try CheckpointBinding.bind(
            [try checkpoint("pytree.safetensors")], to: ambiguous,
            options: CheckpointBindingOptions(mapping: mapping, mappingFile: "map.json"))
        XCTAssertEqual(binding.bound.map(\.rule), ["mapping"])
        XCTAssertEqual(binding.unboundParameters, [])
        XCTAssertEqual(binding.keptSampled, ["bias"])
    }

    func testMappingErrors() throws {
        let parameters = [GraphParameter(name: "kernel", index: 0, type: ArrayType(.f32, [5, 4]))]
        func bind(_ json: String) -> String {
            let error = thrownError {
                let mapping = try CheckpointBindingOptions.readMapping(Data(json.utf8), file: "map.json")
                _ = try CheckpointBinding.bind(
                    [try self.checkpoint("pytree.safetensors")], to: parameters,
                    options: CheckpointBindingOptions(mapping: mapping, mappingFile: "map.json"))
            }
            return error.map { "\($0)" } ?? "no error"
        }
        XCTAssert(bind(#"{"kernal": "params.Dense_0.kernel"}"#).contains("did you mean 'kernel'"))
        XCTAssert(bind(#"{"kernel": "params.Dense_0.kernal"}"#).contains("which no file holds"))
        XCTAssert(bind(#"{"kernel": 3}"#).contains("must map to a tensor name or null"))
        XCTAssert(bind(#"["kernel"]"#).contains("JSON object"))
        XCTAssert(bind(#"{"kernel": "#).hasPrefix("map.json:1:"), bind(#"{"kernel": "#))
    }

    func testShapeAndDTypeChecks() throws {
        func bindOne(_ type: ArrayType, _ tensor: String = "params.Dense_0.kernel") -> Error? {
            thrownError {
                _ = try CheckpointBinding.bind(
                    [try self.checkpoint("pytree.safetensors")],
                    to: [GraphParameter(name: "w", index: 0, type: type, aliases: [tensor])])
            }
        }
        let shape = bindOne(ArrayType(.f32, [4, 5]))
        XCTAssertEqual(
            shape as? CheckpointError,
            .typeMismatch(
                file: fixtureURL("checkpoints/pytree.safetensors").path, tensor: "params.Dense_0.kernel",
                parameter: "w", message: "the tensor has shape [5, 4], the parameter f32[4,5]"))
        // f32 values are all exact in f64: converted.
        XCTAssertNil(bindOne(ArrayType(.f64, [5, 4])))
        // Random f32 values are not exact in bf16: refused, naming the element.
        let narrowing = bindOne(ArrayType(.bf16, [5, 4]))
        XCTAssert("\(narrowing!)".contains("not exactly representable in bf16"), "\(narrowing!)")
        // LayerNorm's scale (all ones) is exact in bf16.
        XCTAssertNil(bindOne(ArrayType(.bf16, [4]), "params.LayerNorm_0.scale"))
        XCTAssert("\(bindOne(ArrayType(.s32, [5, 4]))!)".contains("the tensor is f32, the parameter s32[5,4]"))
    }

    func testIntegerConversions() throws {
        let every = try checkpoint("every.safetensors")
        func bind(_ tensor: String, _ type: ArrayType) -> Error? {
            thrownError {
                _ = try CheckpointBinding.bind([every], to: [GraphParameter(name: tensor, index: 0, type: type)])
            }
        }
        XCTAssertNil(bind("u8", ArrayType(.s32, [4])))
        XCTAssert("\(bind("u8", ArrayType(.s8, [4]))!)".contains("out of s8's range"))
        XCTAssertNotNil(bind("pred", ArrayType(.s32, [3])))
        XCTAssertNil(bind("pred", ArrayType(.pred, [3])))
    }

    func testSeveralCheckpointsNameTheirFiles() throws {
        let both = [try checkpoint("pytree.safetensors"), try checkpoint("pytree.npz")]
        let error = thrownError { _ = try CheckpointBinding.bind(both, to: self.flaxParameters()) }
        guard case .ambiguousParameter(_, let tensors)? = error as? CheckpointError else {
            return XCTFail("\(String(describing: error))")
        }
        XCTAssert(tensors.allSatisfy { $0.contains("pytree.") && $0.contains(":params") }, "\(tensors)")
    }
}
