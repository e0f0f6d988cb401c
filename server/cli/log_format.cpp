#include "server/cli/log_format.hpp"

#include <spdlog/pattern_formatter.h>

namespace wasmdev::cli {
namespace {

class LevelWord final : public spdlog::custom_flag_formatter {
public:
    void format(spdlog::details::log_msg const& msg, std::tm const&, spdlog::memory_buf_t& dest) override {
        auto const word = level_word(msg.level);
        dest.append(word.data(), word.data() + word.size());
    }
    std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<LevelWord>(); }
};

}  // namespace

std::string_view level_word(spdlog::level::level_enum level) {
    switch (level) {
        case spdlog::level::warn: return "warning: ";
        case spdlog::level::err:
        case spdlog::level::critical: return "error: ";
        default: return "";
    }
}

std::unique_ptr<spdlog::formatter> make_log_formatter() {
    auto f = std::make_unique<spdlog::pattern_formatter>();
    f->add_flag<LevelWord>('*').set_pattern("%^[%H:%M:%S.%e] %*%v%$");
    return f;
}

}  // namespace wasmdev::cli
