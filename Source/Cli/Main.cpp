#include "Cli/Cli.h"

#include <iostream>

int main(int argc, char** argv)
{
    std::vector<std::string> args(argv, argv + argc);
    return wb::cli::runCli(args, std::cout, std::cerr);
}
