// Tells how a guest ended from what the host saw. qemu exits 0 both when the guest powers off and
// (with -no-reboot) when it reboots, and a kernel panic with panic=-1 is a reboot too. Two host-side
// witnesses decide: qemu's QMP SHUTDOWN reason and the line the kernel itself prints in
// kernel_power_off()/kernel_restart()/kernel_halt() just before it stops the machine.
export const KERNEL_LINES = {
  poweroff: 'reboot: Power down',
  reboot: 'reboot: Restarting system',
  halt: 'reboot: System halted',
  panic: 'Kernel panic - not syncing',
};

/**
 * 'poweroff' | 'reboot' | 'halt' | 'panic' | 'timeout' | 'qemu-error' | 'unknown'.
 * `endedBy` is set when the harness ended qemu itself ('timeout' or 'halt').
 */
export function classifyEnding({ endedBy, exitCode, shutdownReason, consoleText }) {
  if (consoleText.includes(KERNEL_LINES.panic)) return 'panic';
  if (endedBy === 'halt') return 'halt';
  if (endedBy === 'timeout') return 'timeout';
  if (exitCode !== 0) return 'qemu-error';
  if (shutdownReason === 'guest-shutdown' && consoleText.includes(KERNEL_LINES.poweroff)) return 'poweroff';
  if (shutdownReason === 'guest-reset' && consoleText.includes(KERNEL_LINES.reboot)) return 'reboot';
  return 'unknown';
}
