#include "flashscope/validate/ptxas_registers.hpp"

#include <cxxabi.h>
#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <regex>
#include <sstream>

#include "flashscope/core/error.hpp"

namespace flashscope::validate {

namespace {

// An architecture's entries include its arch-specific variant ("sm_90a" kernels run on sm_90).
bool same_arch(const std::string& built, const std::string& arch) {
    return built == arch || built == arch + "a";
}

std::string demangled(const std::string& mangled) {
    int status = 0;
    const std::unique_ptr<char, void (*)(void*)> name(
        abi::__cxa_demangle(mangled.c_str(), nullptr, nullptr, &status), std::free);
    return status == 0 && name ? std::string(name.get()) : mangled;
}

}  // namespace

std::vector<PtxasKernel> read_ptxas_kernels(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw ConfigError("ptxas", path, "cannot be read");
    std::stringstream text;
    text << in.rdbuf();
    YAML::Node root;
    try {
        root = YAML::Load(text.str());  // JSON is YAML 1.2
    } catch (const YAML::Exception& e) {
        throw ConfigError("ptxas", path, std::string("is not JSON: ") + e.what());
    }
    if (!root.IsMap() || !root["format"] ||
        root["format"].as<std::string>() != "flashscope ptxas resource usage 1" ||
        !root["kernels"].IsSequence())
        throw ConfigError("ptxas", path,
                          "must be a kernels/resource_usage.json (format \"flashscope ptxas "
                          "resource usage 1\")");
    static const std::regex tiled(
        R"(\b(flash[0-9]+)_(fwd|bwd)_kernel<(__nv_bfloat16|__half), (\d+), (\d+), (\d+), (\d+), (\d+)>)");
    std::vector<PtxasKernel> out;
    std::int64_t entry = 0;
    for (const auto& k : root["kernels"]) {
        ++entry;
        if (!k.IsMap() || !k["function"] || !k["arch"] || !k["registers"] ||
            !k["spill_store_bytes"])
            throw ConfigError("ptxas", path + " kernel " + std::to_string(entry),
                              "needs function, arch, registers and spill_store_bytes");
        const std::string function = demangled(k["function"].as<std::string>());
        std::smatch m;
        if (!std::regex_search(function, m, tiled)) continue;
        PtxasKernel p;
        p.function = function;
        p.arch = k["arch"].as<std::string>();
        p.algorithm = m[1];
        p.pass = m[2] == "fwd" ? Pass::fwd : Pass::bwd;
        p.dtype = m[3] == "__half" ? DType::fp16 : DType::bf16;
        p.head_dim = std::stoll(m[4]);
        p.tile = {std::stoll(m[5]), std::stoll(m[6]), std::stoll(m[7]), std::stoll(m[8])};
        p.registers = k["registers"].as<std::int64_t>();
        p.spill_bytes = k["spill_store_bytes"].as<std::int64_t>();
        out.push_back(p);
    }
    return out;
}

std::vector<sim::KernelRegisters> ptxas_entries(const std::vector<PtxasKernel>& table,
                                                const std::string& arch) {
    std::vector<sim::KernelRegisters> out;
    for (const PtxasKernel& k : table)
        if (same_arch(k.arch, arch))
            out.push_back({k.algorithm + "_" + std::string(to_string(k.pass)), k.registers,
                           k.spill_bytes, k.head_dim, k.dtype, k.tile});
    return out;
}

}  // namespace flashscope::validate
