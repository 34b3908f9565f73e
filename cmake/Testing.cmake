find_package(GTest REQUIRED)

# mpiexec flags for the tests. Root needs --allow-run-as-root; a 2-core machine
# needs --oversubscribe for -n 2 and beyond. Users never need to pass these.
set(NEUROFIELD_MPIEXEC_PREFLAGS --oversubscribe)
execute_process(COMMAND id -u OUTPUT_VARIABLE _uid OUTPUT_STRIP_TRAILING_WHITESPACE)
if(_uid STREQUAL "0")
  list(APPEND NEUROFIELD_MPIEXEC_PREFLAGS --allow-run-as-root)
endif()

# A GoogleTest main with PETSc initialised, and helpers to run decks in tests.
add_library(neurofield_test_support STATIC
  ${PROJECT_SOURCE_DIR}/tests/petsc_gtest_main.cpp ${PROJECT_SOURCE_DIR}/tests/support/run_deck.cpp
  ${PROJECT_SOURCE_DIR}/tests/support/delayed_diffusion.cpp ${PROJECT_SOURCE_DIR}/tests/support/scalar_delay_system.cpp
  ${PROJECT_SOURCE_DIR}/tests/support/convolution_fields.cpp ${PROJECT_SOURCE_DIR}/tests/support/delayed_field.cpp
  ${PROJECT_SOURCE_DIR}/tests/support/telegraph_mode.cpp)
target_link_libraries(neurofield_test_support PUBLIC neurofield_core GTest::gtest)
target_compile_definitions(neurofield_test_support PUBLIC NEUROFIELD_SOURCE_DIR="${PROJECT_SOURCE_DIR}")

# nf_add_gtest(NAME source LABEL label [RANKS n...]): one ctest entry per rank count.
function(nf_add_gtest name source)
  cmake_parse_arguments(ARG "" "LABEL;MAIN" "RANKS" ${ARGN})
  add_executable(${name} ${source})
  if(ARG_MAIN STREQUAL "petsc")
    target_link_libraries(${name} PRIVATE neurofield_test_support)
  else()
    target_link_libraries(${name} PRIVATE neurofield_core GTest::gtest_main)
  endif()
  if(NOT ARG_RANKS)
    add_test(NAME ${name} COMMAND ${name})
    set_tests_properties(${name} PROPERTIES LABELS "${ARG_LABEL}")
  else()
    foreach(n IN LISTS ARG_RANKS)
      add_test(NAME ${name}_np${n}
        COMMAND ${MPIEXEC_EXECUTABLE} ${MPIEXEC_NUMPROC_FLAG} ${n} ${NEUROFIELD_MPIEXEC_PREFLAGS} $<TARGET_FILE:${name}>)
      set_tests_properties(${name}_np${n} PROPERTIES LABELS "${ARG_LABEL}" PROCESSORS ${n})
    endforeach()
  endif()
endfunction()
