/** An application that embeds Angora through its Java API, with a task defined in code. */
@NullMarked
package io.angora.example;

import org.jspecify.annotations.NullMarked;
