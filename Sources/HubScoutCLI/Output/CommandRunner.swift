import ArgumentParser
import Foundation
import HubScoutCore
import HubScoutCache
import HubScoutKit

/// Runs a command body, turning library errors into a one-line message on stderr and their exit code.
enum CommandRunner {
    static func run(_ body: () async throws -> Void) async throws {
        do {
            try await body()
            if Terminal.stdoutFailed {
                Terminal.error("could not write the output (\(String(cString: strerror(errno)))); the result above is incomplete")
                throw ExitCode(1)
            }
        } catch let error as HubError {
            Terminal.error(error.description)
            throw ExitCode(error.exitCode)
        } catch let error as CacheError {
            Terminal.error(error.description)
            throw ExitCode(error.exitCode)
        } catch let error as RepoIDError {
            Terminal.error(error.description)
            throw ExitCode(2)
        } catch let error as OfflineSearchError {
            Terminal.error(error.description)
            throw ExitCode(error.exitCode)
        } catch let error as CachedVariantError {
            Terminal.error(error.description)
            throw ExitCode(error.exitCode)
        } catch let error as ModelLinkError {
            Terminal.error(error.description)
            throw ExitCode(error.exitCode)
        } catch let error as TokenStoreError {
            Terminal.error(error.description)
            throw ExitCode(1)
        } catch let error as ExitCode {
            throw error
        } catch let error as any CustomStringConvertible & Error {
            Terminal.error(error.description)
            throw ExitCode(1)
        }
    }
}
