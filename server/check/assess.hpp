// From a finished walk to the report: every resource judged, the page's cross-origin
// isolation judged over all of them, the deploy format to name in fixes chosen (the one asked
// for, else the one the page's host or Server field suggests), and the verdict. Pure.
#pragma once
#include "server/check/fetch.hpp"
#include "server/check/judge.hpp"
#include "server/check/render.hpp"

namespace wasmdev::check {

Report assess(Crawl crawl, Context ctx);

}  // namespace wasmdev::check
