import Hummingbird

/// Runs middleware in order (first = outermost) around an endpoint responder.
struct MiddlewareChain<Endpoint: HTTPResponder>: HTTPResponder where Endpoint.Context == BasicRequestContext {
    typealias Context = BasicRequestContext

    let middleware: [any RouterMiddleware<BasicRequestContext>]
    let endpoint: Endpoint

    func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
        try await run(0, request, context)
    }

    private func run(_ index: Int, _ request: Request, _ context: BasicRequestContext) async throws -> Response {
        guard index < middleware.count else { return try await endpoint.respond(to: request, context: context) }
        return try await middleware[index].handle(request, context: context) { request, context in
            try await run(index + 1, request, context)
        }
    }
}
