import Foundation
import Hummingbird
import HubScoutCore

extension APIResponder {
    /// `GET /api/models/{id}[/revision/{rev}]` with the §2.2 fields; `blobs=true` adds sizes and LFS facts, `expand` narrows.
    func modelInfo(_ repository: StoredRepository, revision: String?, _ exchange: Exchange) async throws -> Response {
        guard let commit = commit(for: revision, in: repository) else {
            return HubErrorResponse.revisionNotFound(revision ?? "main").response(head: exchange.head)
        }
        let expand = exchange.query.all("expand")
        if let unknown = expand.first(where: { !ModelView.expandableKeys.contains($0) }) {
            return HubErrorResponse.badRequest("Invalid expand value '\(unknown)'").response(head: exchange.head)
        }
        let view = ModelView(repository: repository, snapshot: try await storage.snapshot(of: repository, commit: commit))
        var object = view.fullObject(blobs: exchange.query.flag("blobs"))
        if expand.isEmpty {
            object.retain(Set(object.pairs.map(\.key)).subtracting(["downloadsAllTime", "trendingScore"]))
        } else {
            object.retain(Set(["_id", "id"] + expand))
        }
        return HubResponses.json(JSONWriter.write(object), head: exchange.head)
    }

    /// `GET /api/models/{id}/refs[?include_prs=1]`: branches, tags, converts and (on request) pull requests.
    func refs(_ repository: StoredRepository, _ exchange: Exchange) -> Response {
        var branches: [JSONValue] = [], tags: [JSONValue] = [], converts: [JSONValue] = [], pulls: [JSONValue] = []
        for name in repository.refs.keys.sorted() {
            guard let commit = repository.refs[name] else { continue }
            func entry(_ ref: String) -> JSONValue {
                .object(["name": .string(name), "ref": .string(ref), "targetCommit": .string(commit)])
            }
            if name.hasPrefix("refs/pr/") { pulls.append(entry(name)) }
            else if name.hasPrefix("refs/convert/") { converts.append(entry(name)) }
            else if repository.tagNames.contains(name) { tags.append(entry("refs/tags/" + name)) }
            else { branches.append(entry("refs/heads/" + name)) }
        }
        var object = OrderedObject()
        object.set("branches", .array(branches))
        object.set("converts", .array(converts))
        object.set("tags", .array(tags))
        if exchange.query.flag("include_prs") { object.set("pullRequests", .array(pulls)) }
        return HubResponses.json(JSONWriter.write(object), head: exchange.head)
    }

    /// `GET /api/whoami-v2`: the token's user, orgs and role; 401 without a token.
    func whoami(_ exchange: Exchange) -> Response {
        guard let grant = exchange.identity.grant else { return HubErrorResponse.authenticationRequired.response(head: exchange.head) }
        var user = OrderedObject()
        user.set("type", .string("user"))
        user.set("id", .string(StableObjectID.forAccount(grant.user)))
        user.set("name", .string(grant.user))
        user.set("fullname", .string(grant.fullname ?? grant.user))
        if let email = grant.email { user.set("email", .string(email)); user.set("emailVerified", .bool(true)) }
        user.set("canPay", .bool(false))
        user.set("isPro", .bool(false))
        user.set("periodEnd", .null)
        user.set("avatarUrl", .string("/avatars/\(StableObjectID.forAccount(grant.user)).svg"))
        user.set("billingMode", .string("postpaid"))
        user.set("orgs", .array(grant.orgs.map { org in
            .object(["type": .string("org"), "id": .string(StableObjectID.forAccount(org)), "name": .string(org),
                     "fullname": .string(org), "canPay": .bool(false), "periodEnd": .null,
                     "avatarUrl": .string("/avatars/\(StableObjectID.forAccount(org)).svg")])
        }))
        user.set("auth", .object(["type": .string("access_token"), "accessToken": .object([
            "displayName": .string("hubscout"), "role": .string(grant.role), "createdAt": .string("1970-01-01T00:00:00.000Z"),
        ])]))
        return HubResponses.json(JSONWriter.write(user), head: exchange.head)
    }
}
