import PassageServices
import Testing

@Suite struct ServiceErrorTests {
    @Test func aBadArgumentNamesTheArgumentOnce() {
        #expect(
            ServiceError.badArgument(argument: "priority", message: "expected emergency, urgent or normal").description
                == "priority: expected emergency, urgent or normal")
        #expect(ServiceError.notFound("no such case 7").description == "no such case 7")
    }
}
