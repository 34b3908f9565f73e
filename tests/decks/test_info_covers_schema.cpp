// `neurofield info` documents every key the deck accepts: for each section, each choice
// of its selector and each model type, every key of the schema (io/deck_schema.h)
// appears as a key line of that section and choice. Runs the program named by the
// environment variable NEUROFIELD.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <utility>

#include "io/deck_schema.h"
#include "models/registry.h"

namespace {

using Block = std::pair<std::string, std::string>;  // section, choice ("" without a selector)

std::string run_info() {
  const char* exe = std::getenv("NEUROFIELD");
  if (!exe) return "";
  std::string out;
  FILE* pipe = popen((std::string(exe) + " info").c_str(), "r");
  if (!pipe) return "";
  char buf[4096];
  for (std::size_t n; (n = fread(buf, 1, sizeof buf, pipe)) > 0;) out.append(buf, n);
  EXPECT_EQ(pclose(pipe), 0) << "neurofield info failed";
  return out;
}

// Key names per (section, choice), read from the layout info_command.cpp documents.
std::map<Block, std::set<std::string>> parse(const std::string& text) {
  std::map<Block, std::set<std::string>> blocks;
  std::istringstream lines(text);
  std::string line, section, choice;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    if (line[0] != ' ') {
      section = line.substr(0, line.find(':'));
      choice.clear();
      blocks[{section, choice}];
    } else if (line.rfind("  " + section + ".", 0) == 0 && line.find(" = ") != std::string::npos) {
      const auto start = line.find(" = ") + 3;
      choice = line.substr(start, line.find_first_of(" :", start) - start);
      blocks[{section, choice}];
    } else if (line.size() > 4 && line.rfind("    ", 0) == 0 && line[4] != ' ') {
      blocks[{section, choice}].insert(line.substr(4, line.find(' ', 4) - 4));
    }
  }
  return blocks;
}

TEST(Info, ListsEveryKeyOfEverySectionAndChoice) {
  const auto blocks = parse(run_info());
  ASSERT_FALSE(blocks.empty()) << "no output from $NEUROFIELD info";
  std::size_t checked = 0;
  for (const auto& model : nf::model_types())
    for (const auto& section : nf::deck_sections()) {
      const nf::SectionSchema base = nf::section_schema(section, "", model.name);
      std::vector<std::string> choices{""};
      if (!base.selector.empty()) choices = base.keys.front().choices;
      for (const auto& choice : choices) {
        const auto it = blocks.find({section, choice});
        ASSERT_NE(it, blocks.end()) << "info has no block for " << section
                                    << (choice.empty() ? "" : "." + base.selector + " = " + choice);
        const nf::SectionSchema s = nf::section_schema(section, choice, model.name);
        for (std::size_t k = s.selector.empty() ? 0 : 1; k < s.keys.size(); ++k, ++checked)
          EXPECT_TRUE(it->second.count(s.keys[k].name))
              << section << "." << s.keys[k].name << (choice.empty() ? "" : " (" + s.selector + " " + choice + ")")
              << " is accepted by the deck but not listed by info";
      }
    }
  EXPECT_GT(checked, 40u);
}

}  // namespace
