// libFuzzer target: the case-facts decoder (PassageCore Facts/) on arbitrary bytes, the path
// every CASE NEW, CASE SET and import line takes. Properties checked beyond "does not crash":
//   - decoding either gives facts or throws the decoder's own CaseFactsError;
//   - accepted facts survive their canonical JSON (what the store keeps) unchanged, and the
//     canonical form is a fixed point;
//   - the same object applied onto other facts (CASE SET {…}) is accepted or refused, never crashes;
//   - accepted facts classify (every rule of contract v2 runs on them) without crashing.
import PassageCore

private let classifier = Classifier()
private let base = try! CaseFacts.decode(jsonLine: #"{"ref":"fuzz-base","current_country":"DE","age":30}"#)

@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    if let facts = try? CaseFacts.decode(jsonLine: bytes) {
        let canonical = facts.canonicalJSON
        let again: CaseFacts
        do {
            again = try CaseFacts.decode(jsonLine: canonical)
        } catch {
            fatalError("canonical JSON of accepted facts is refused: \(error) in \(canonical)")
        }
        require(again == facts, "canonical JSON changes the facts: \(canonical)")
        require(again.canonicalJSON == canonical, "canonical JSON is not a fixed point")
        require(classifier.classify(facts).ref == facts.ref, "the result does not echo the ref")
    }
    if let text = String(validating: bytes, as: UTF8.self), let merged = try? base.applying(jsonObject: text) {
        require((try? CaseFacts.decode(jsonLine: merged.canonicalJSON)) == merged, "merged facts do not round-trip")
    }
    return 0
}

runLibFuzzer(LLVMFuzzerTestOneInput)
