# Install rules: the library and headers, the backup component (its own export set, so that
# find_package(hparams) alone needs neither libcurl nor OpenSSL), the CLI and the backup
# helper, the CMake package and pkg-config files. Everything is relative to the prefix.
include(CMakePackageConfigHelpers)
set(HPARAMS_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/hparams)

install(TARGETS hparams EXPORT hparamsTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} NAMELINK_COMPONENT Development
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY include/hparams ${HPARAMS_GENERATED_INCLUDE}/hparams
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT hparamsTargets NAMESPACE hparams:: DESTINATION ${HPARAMS_CMAKE_DIR})

set(HPARAMS_HAS_BACKUP OFF)
if(TARGET hparams_backup)
  set(HPARAMS_HAS_BACKUP ON)
  install(TARGETS hparams_backup EXPORT hparamsBackupTargets
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} NAMELINK_COMPONENT Development
    RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  install(EXPORT hparamsBackupTargets NAMESPACE hparams:: DESTINATION ${HPARAMS_CMAKE_DIR})
  install(TARGETS hparams_backup_helper RUNTIME DESTINATION ${CMAKE_INSTALL_LIBEXECDIR}/hparams)
endif()

install(FILES cmake/FindGMP.cmake DESTINATION ${HPARAMS_CMAKE_DIR})
configure_package_config_file(cmake/hparamsConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/hparamsConfig.cmake
  INSTALL_DESTINATION ${HPARAMS_CMAKE_DIR})
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/hparamsConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/hparamsConfig.cmake
  ${CMAKE_CURRENT_BINARY_DIR}/hparamsConfigVersion.cmake
  DESTINATION ${HPARAMS_CMAKE_DIR})

# pkg-config: the prefix is found from the .pc file's own place, so an installed tree can move.
file(RELATIVE_PATH HPARAMS_PC_TO_PREFIX
  /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
string(REGEX REPLACE "/$" "" HPARAMS_PC_TO_PREFIX "${HPARAMS_PC_TO_PREFIX}")
# A static-only install has no shared library to carry the dependencies: they are public then,
# so that a plain `pkg-config --libs` link works.
if(BUILD_SHARED_LIBS)
  set(HPARAMS_PC_REQUIRES "Requires.private: gmp")
  set(HPARAMS_BACKUP_PC_REQUIRES
    "Requires: hparams = ${PROJECT_VERSION}\nRequires.private: libcurl libcrypto")
else()
  set(HPARAMS_PC_REQUIRES "Requires: gmp")
  set(HPARAMS_BACKUP_PC_REQUIRES "Requires: hparams = ${PROJECT_VERSION}, libcurl, libcrypto")
endif()
configure_file(cmake/hparams.pc.in ${CMAKE_CURRENT_BINARY_DIR}/hparams.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/hparams.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
if(HPARAMS_HAS_BACKUP)
  configure_file(cmake/hparams-backup.pc.in ${CMAKE_CURRENT_BINARY_DIR}/hparams-backup.pc @ONLY)
  install(FILES ${CMAKE_CURRENT_BINARY_DIR}/hparams-backup.pc
    DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
endif()
install(FILES LICENSE DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/hparams)
