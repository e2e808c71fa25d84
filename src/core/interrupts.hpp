// Cancellation of long core loops by the host (PostgreSQL's statement_timeout,
// pg_cancel_backend, pg_terminate_backend) without the core knowing the host.
//
// The host points `pending` at its "an interrupt is pending" flag (PostgreSQL's InterruptPending)
// and sets `service` to a function that handles the interrupt; service() either returns (nothing
// to do) or THROWS to abandon the computation (src/pg turns PostgreSQL's cancel error into a C++
// exception, unwinds the core frames and re-raises it after the guard). So every core loop whose
// length a caller controls calls poll() now and then, and must be exception-safe at that point
// (only RAII objects alive: true of all core code).
//
// Without a host (unit tests, tools) `pending` points at a constant 0: poll() is one load and a
// branch.
#pragma once
#include <csignal>
#include <cstddef>

namespace hccraf::interrupts {

extern const volatile std::sig_atomic_t* pending;
extern void (*service)();

// Checks for a pending interrupt (cheap: one volatile load when none is pending).
inline void poll() {
    if (*pending && service) service();
}

// poll() on every 1024th iteration i of a loop (the hot paths call this per element).
inline void poll_every(std::size_t i) {
    if ((i & 1023) == 0) poll();
}

}  // namespace hccraf::interrupts
