// @runit-ts/chpst: chpst (and envdir, envuidgid, pgrphack, setlock, setuidgid, softlimit) and utmpset.
export {};
