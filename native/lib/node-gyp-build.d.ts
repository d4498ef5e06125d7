// Types for node-gyp-build (it ships none): the part of its API the loader uses.
declare module 'node-gyp-build' {
  interface NodeGypBuild {
    (dir: string): unknown;
    /** The addon file node-gyp-build would load from `dir`; throws when there is none for here. */
    path(dir: string): string;
  }
  const nodeGypBuild: NodeGypBuild;
  export default nodeGypBuild;
}
