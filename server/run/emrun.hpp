// The emrun protocol: what a page linked with `emcc --emrun` POSTs to "stdio.html" beside it
// (Emscripten's src/emrun_postjs.js): "^pageload^", "^out^SEQ^TEXT" and "^err^SEQ^TEXT" (TEXT
// percent-encoded), "^exit^CODE", and file dumps to "stdio.html?file=NAME". run answers these in
// the browser (the DevTools Fetch domain), so they never reach the server. Pure.
#pragma once
#include <string>
#include <string_view>

namespace wasmdev::run {

enum class EmrunKind { not_emrun, pageload, out, err, exit, file_dump };

struct EmrunPost {
    EmrunKind kind = EmrunKind::not_emrun;
    std::string text{};  // out/err: the decoded line; file_dump: the file name
    int code = 0;        // exit
};

// Is this request one of emrun's? Its URL's path ends in /stdio.html and the method is POST.
bool is_emrun_request(std::string_view method, std::string_view url);

// What a POST to stdio.html says (url: the full request URL, body: its postData).
EmrunPost parse_emrun_post(std::string_view url, std::string_view body);

}  // namespace wasmdev::run
