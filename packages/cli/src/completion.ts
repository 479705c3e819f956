// Shell completion. Each script asks the CLI itself (`connect __complete <words>`) for the candidates
// of the word being typed, so that the commands and flags of the generated table are completed in
// bash, zsh and fish alike, and stay right when the spec changes, without regenerating the script.
import type { Command, Option } from 'commander';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

/** The hidden command the scripts call: not in help, not parsed by commander (see cli.ts). */
export const COMPLETE_COMMAND = '__complete';

const SCRIPTS: Record<Shell, string> = {
  bash: `# connect completion for bash: add \`source <(connect completion bash)\` to ~/.bashrc
_connect_complete() {
  local IFS=$'\\n'
  COMPREPLY=($(connect ${COMPLETE_COMMAND} "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
}
complete -o default -F _connect_complete connect
`,
  zsh: `#compdef connect
# connect completion for zsh: add \`source <(connect completion zsh)\` to ~/.zshrc, after compinit
_connect_complete() {
  local -a candidates
  candidates=("\${(@f)$(connect ${COMPLETE_COMMAND} "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  compadd -a candidates
}
compdef _connect_complete connect
`,
  fish: `# connect completion for fish: connect completion fish > ~/.config/fish/completions/connect.fish
complete -c connect -f -a '(connect ${COMPLETE_COMMAND} (commandline -opc)[2..-1] (commandline -ct) 2>/dev/null)'
`,
};

export const completionScript = (shell: Shell): string => SCRIPTS[shell];

/** The options in force in `command`: its own and its ancestors' (the program's global ones). */
function optionsOf(command: Command): readonly Option[] {
  const options: Option[] = [];
  for (let current: Command | null = command; current; current = current.parent) options.push(...current.options);
  return options;
}

const takesValue = (option: Option) => option.required || option.optional;

/**
 * The candidates for the last of `words` (the arguments after `connect`, the last one being typed):
 * subcommands, the flags of the command reached, or the choices of the flag before it.
 */
export function complete(program: Command, words: readonly string[]): string[] {
  const typed = words.at(-1) ?? '';
  let command = program;
  let pendingOption: Option | undefined;
  for (const word of words.slice(0, -1)) {
    if (pendingOption) {
      pendingOption = undefined;
      continue;
    }
    if (word.startsWith('-')) {
      const option = word.includes('=') ? undefined : optionsOf(command).find((candidate) => candidate.long === word || candidate.short === word);
      if (option && takesValue(option)) pendingOption = option;
      continue;
    }
    const sub = command.commands.find((candidate) => candidate.name() === word);
    if (sub) command = sub;
  }
  const candidates = pendingOption
    ? (pendingOption.argChoices ?? [])
    : typed.startsWith('-')
      ? [...optionsOf(command).flatMap((option) => (option.hidden || !option.long ? [] : [option.long])), '--help']
      : command.commands.map((sub) => sub.name());
  return [...new Set(candidates)].filter((candidate) => candidate.startsWith(typed));
}
