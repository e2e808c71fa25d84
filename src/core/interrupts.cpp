// Defaults of the interrupt hook (interrupts.hpp): nothing is ever pending without a host.
#include "interrupts.hpp"

namespace hccraf::interrupts {

namespace {
const volatile std::sig_atomic_t never = 0;
}  // namespace

const volatile std::sig_atomic_t* pending = &never;
void (*service)() = nullptr;

}  // namespace hccraf::interrupts
