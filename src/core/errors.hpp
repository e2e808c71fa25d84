// Exceptions thrown by the core. The PostgreSQL shims map each class to a SQLSTATE after
// leaving the catch block (src/pg/guard.hpp); the core itself never knows about PostgreSQL.
#pragma once
#include <stdexcept>
#include <string>

namespace hccraf {

// Base class: carries an optional hint for the user (shown as HINT by the shims).
struct Error : std::runtime_error {
    std::string hint;
    Error(const std::string& message, std::string hint_ = {})
        : std::runtime_error(message), hint(std::move(hint_)) {}
};

// Reference data is inconsistent or unreadable (bad CSV, unknown HCC in a factor name, ...).
struct DataError : Error {
    using Error::Error;
};

// The caller passed something impossible (no sex, OREC 7, malformed code when strict, ...).
struct InputError : Error {
    using Error::Error;
};

}  // namespace hccraf
