#include "flashscope/core/chrome_trace.hpp"

#include <gtest/gtest.h>

#include <cmath>

using namespace flashscope;

TEST(ChromeTrace, WritesMicrosecondsAndEscapesNames) {
    ChromeTrace trace;
    trace.name_process(1, "a \"quoted\" name", 1);
    trace.add_slice(1, 2, "k\\1", "kernel", 1.5e-6, 2.25e-3,
                    {{"ctas", 4.0}, {"why", std::string("hbm")}});
    trace.add_counter(1, "hbm busy", 0.001, {{"%", 50.0}});
    const std::string json = trace.to_json();
    EXPECT_NE(json.find("\"args\":{\"name\":\"a \\\"quoted\\\" name\"}"), std::string::npos)
        << json;
    EXPECT_NE(
        json.find(
            "{\"ph\":\"X\",\"name\":\"k\\\\1\",\"cat\":\"kernel\",\"pid\":1,\"tid\":2,\"ts\":1.5,"
            "\"dur\":2250,\"args\":{\"ctas\":4,\"why\":\"hbm\"}}"),
        std::string::npos)
        << json;
    EXPECT_NE(json.find("{\"ph\":\"C\",\"name\":\"hbm "
                        "busy\",\"pid\":1,\"tid\":0,\"ts\":1000,\"args\":{\"%\":50}}"),
              std::string::npos)
        << json;
}

TEST(ChromeTrace, NonFiniteNumbersBecomeNull) {
    ChromeTrace trace;
    trace.add_counter(1, "c", 0, {{"v", std::nan("")}});
    EXPECT_NE(trace.to_json().find("\"v\":null"), std::string::npos);
}
