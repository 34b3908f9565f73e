# The library, one static target per layer, from the ground floor up:
#   base -> meshes -> solvers -> models -> postprocess -> io -> problem (each sees all before it)
# A layer's sources see only its own folder and the folders below it: each target
# compiles against a view (a folder of links to exactly those source folders), so an
# include that runs upward, e.g. "models/..." from solvers/, does not compile.
set(NF_LAYER_VIEWS ${PROJECT_BINARY_DIR}/layer_views)

# nf_layer(NAME SEES folder... DEPENDS target...)
function(nf_layer name)
  cmake_parse_arguments(L "" "" "SEES;DEPENDS" ${ARGN})
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/${name}/*.cpp)
  set(view ${NF_LAYER_VIEWS}/${name})
  file(MAKE_DIRECTORY ${view})
  foreach(folder IN LISTS L_SEES ITEMS ${name})
    if(NOT EXISTS ${view}/${folder})
      file(CREATE_LINK ${PROJECT_SOURCE_DIR}/${folder} ${view}/${folder} SYMBOLIC)
    endif()
  endforeach()
  if(sources)
    add_library(neurofield_${name} STATIC ${sources})
    target_include_directories(neurofield_${name} PRIVATE ${view})
    target_compile_options(neurofield_${name} PRIVATE -Wall -Wextra)
    target_link_libraries(neurofield_${name} PUBLIC ${L_DEPENDS} neurofield::deps)
    target_compile_definitions(neurofield_${name} PUBLIC NEUROFIELD_VERSION="${PROJECT_VERSION}")
  else()
    add_library(neurofield_${name} INTERFACE)
    target_link_libraries(neurofield_${name} INTERFACE ${L_DEPENDS} neurofield::deps)
  endif()
endfunction()

nf_layer(base)
nf_layer(meshes SEES base DEPENDS neurofield_base)
nf_layer(solvers SEES base meshes DEPENDS neurofield_meshes)
nf_layer(models SEES base meshes solvers DEPENDS neurofield_solvers)
nf_layer(postprocess SEES base meshes solvers models DEPENDS neurofield_models)
nf_layer(io SEES base meshes solvers models postprocess DEPENDS neurofield_postprocess)
nf_layer(problem SEES base meshes solvers models postprocess io DEPENDS neurofield_io)

# Everything, for the program, the tests and the benchmarks.
add_library(neurofield_core INTERFACE)
target_link_libraries(neurofield_core INTERFACE neurofield_problem)
target_include_directories(neurofield_core INTERFACE ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR}/generated)
