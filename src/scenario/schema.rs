//! `hostsim schema`: the scenario format as a JSON Schema (draft-07, which
//! Taplo / Even Better TOML read), written from the key lists the readers use.
