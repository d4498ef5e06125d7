// @runit-ts/sv: sv: the runit control client (and LSB init-script mode), pure TypeScript.
export {};
