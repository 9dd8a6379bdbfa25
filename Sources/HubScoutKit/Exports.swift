// An app that imports HubScoutKit gets the value types and the cache layout it hands out, without
// importing each module.
@_exported import HubScoutCache
@_exported import HubScoutCore
