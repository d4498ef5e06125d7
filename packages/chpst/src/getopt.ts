// Command-line scanning the way runit's (djb's) getopt does it: no reordering, stops at the first
// non-option, `--` ends the options, an option's argument may be attached (`-ufoo`) or the next word.

export type OptionStep =
  | { kind: 'option'; option: string; argument: string }
  | { kind: 'problem'; option: string; missingArgument: boolean }
  | { kind: 'done' };

export class OptionScanner {
  /** Index in argv of the next word to look at; the operands start here once scanning is done. */
  index = 1;
  private position = 0;

  /** argv[0] is the program name; `spec` lists option letters, each followed by `:` if it takes an argument. */
  constructor(
    private readonly argv: readonly string[],
    private readonly spec: string,
  ) {}

  next(): OptionStep {
    const { argv } = this;
    if (this.index >= argv.length) return { kind: 'done' };
    if (this.position > 0 && this.position >= argv[this.index]!.length) {
      this.index++;
      this.position = 0;
      if (this.index >= argv.length) return { kind: 'done' };
    }
    const word = argv[this.index]!;
    if (this.position === 0) {
      if (word[0] !== '-') return { kind: 'done' };
      if (word.length === 1 || word[1] === '-') {
        if (word.length > 1) this.index++; // `--` is consumed, a lone `-` is an operand
        return { kind: 'done' };
      }
      this.position = 1;
    }
    const option = word[this.position++]!;
    const takesArgument = this.lookup(option);
    if (takesArgument === undefined) return { kind: 'problem', option, missingArgument: false };
    if (!takesArgument) return { kind: 'option', option, argument: '' };
    let argument = word.slice(this.position);
    this.index++;
    this.position = 0;
    if (argument === '') {
      if (this.index >= argv.length) return { kind: 'problem', option, missingArgument: true };
      argument = argv[this.index++]!;
    }
    return { kind: 'option', option, argument };
  }

  /** true: takes an argument; false: a flag; undefined: not an option here (`:` never is one). */
  private lookup(option: string): boolean | undefined {
    for (let i = 0; i < this.spec.length; i++) {
      const letter = this.spec[i]!;
      if (letter === ':') continue;
      const takesArgument = this.spec[i + 1] === ':';
      if (letter === option) return takesArgument;
    }
    return undefined;
  }
}
